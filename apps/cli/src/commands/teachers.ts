import { DEFAULT_TEACHER_TRAINING, zooTeacher } from '@akd/teachers';
import { ensureZooTeachers, SHIPPED_TEACHERS_DIR, shipTeacher } from '@akd/runner';
import { createProgress, type Progress } from '../progress.js';
import { openContext } from './context.js';

interface TeachersTrainOptions {
  names: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  ship?: boolean;
}

/** `akd teachers train`: trains the named zoo teachers, stores them and optionally ships them. */
export async function runTeachersTrain(options: TeachersTrainOptions): Promise<void> {
  const names = options.names.split(',').map((s) => s.trim());
  names.forEach((name) => zooTeacher(name));
  const ctx = await openContext('teachers');
  const settings = {
    epochs: options.epochs ?? DEFAULT_TEACHER_TRAINING.epochs,
    batchSize: options.batchSize ?? DEFAULT_TEACHER_TRAINING.batchSize,
    learningRate: options.learningRate ?? DEFAULT_TEACHER_TRAINING.learningRate,
    seed: options.seed ?? DEFAULT_TEACHER_TRAINING.seed,
  };
  let bar: Progress | null = null;
  try {
    const teachers = await ensureZooTeachers(ctx.db.prisma, ctx.datasetRow, ctx.dataset, {
      names,
      retrain: true,
      settings,
      onProgress: (event) => {
        if (event.type === 'training') {
          bar ??= createProgress(`train teacher ${event.name}`, event.totalSteps);
          bar.update(event.step);
        } else {
          bar?.stop();
          bar = null;
          process.stdout.write(`${event.name}: test top-1 ${(event.testTop1 * 100).toFixed(2)}%\n`);
        }
      },
    });
    if (options.ship) {
      const command = `akd teachers train ${process.argv.slice(4).join(' ')}`.trim();
      for (const teacher of teachers) {
        const dir = await shipTeacher(teacher, ctx.dataset, SHIPPED_TEACHERS_DIR, {
          command,
          backend: ctx.backend.name,
        });
        process.stdout.write(`shipped ${teacher.name} to ${dir}\n`);
      }
    }
  } finally {
    await ctx.db.close();
  }
}
