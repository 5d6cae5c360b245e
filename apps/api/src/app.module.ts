import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { PrismaClient } from '@akd/db';
import { AnalysisModule } from './analysis/analysis.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { AuthService } from './auth/auth.service.js';
import { AkdExceptionFilter } from './common/exception.filter.js';
import { SqlReader } from './common/sql-reader.js';
import { createValidationPipe } from './common/validation.js';
import type { ApiConfig } from './config.js';
import { DatasetsModule } from './datasets/datasets.module.js';
import { ExperimentsModule } from './experiments/experiments.module.js';
import { graphqlOptions } from './graphql.config.js';
import type { JobQueue } from './jobs/job-queue.js';
import { LatencyProfilesModule } from './latency-profiles/latency-profiles.module.js';
import { LeaderboardModule } from './leaderboard/leaderboard.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { StudiesModule } from './studies/studies.module.js';
import { SubscriptionsModule } from './subscriptions/subscriptions.module.js';
import { TeachersModule } from './teachers/teachers.module.js';
import { TrainedModelsModule } from './trained-models/trained-models.module.js';
import { WorkersModule } from './workers/workers.module.js';
import { API_CONFIG, JOB_QUEUE, PRISMA } from './tokens.js';

/** What the application is built from; tests pass a test database and a recording queue. */
export interface ApiDependencies {
  prisma: PrismaClient;
  /** URL of the same database, for the {@link SqlReader} pool of the frequent reads. */
  databaseUrl: string;
  queue: JobQueue;
  config: ApiConfig;
}

@Module({})
class DependenciesModule {
  static register(dependencies: ApiDependencies): DynamicModule {
    return {
      module: DependenciesModule,
      global: true,
      providers: [
        { provide: PRISMA, useValue: dependencies.prisma },
        { provide: JOB_QUEUE, useValue: dependencies.queue },
        { provide: API_CONFIG, useValue: dependencies.config },
        { provide: SqlReader, useFactory: () => new SqlReader(dependencies.databaseUrl) },
      ],
      exports: [PRISMA, JOB_QUEUE, API_CONFIG, SqlReader],
    };
  }
}

@Module({})
export class AppModule {
  static register(dependencies: ApiDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DependenciesModule.register(dependencies),
        AuthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule],
          inject: [AuthService, API_CONFIG],
          useFactory: (auth: AuthService, config: ApiConfig) => graphqlOptions(auth, config),
        }),
        DatasetsModule,
        TeachersModule,
        ExperimentsModule,
        TrainedModelsModule,
        LeaderboardModule,
        WorkersModule,
        LatencyProfilesModule,
        SubscriptionsModule,
        ObservabilityModule,
        AnalysisModule,
        StudiesModule,
      ],
      providers: [
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_FILTER, useClass: AkdExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
