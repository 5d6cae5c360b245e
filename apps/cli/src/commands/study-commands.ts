// Command-line definitions of `akd study …`; the actions live in study.ts.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { PROXY_PRESETS } from '@akd/proxy-task';
import { DEFAULT_STUDY_FULL_EPOCHS, SIMILARITY_SPLITS } from '@akd/runner';
import {
  runStudyAblation,
  runStudyKdFriendliness,
  runStudyList,
  runStudyRanking,
  runStudyResume,
  runStudyShow,
  runStudySimilarity,
} from './study.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a number greater than 0, got "${value}"`);
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError(`expected a number from 0 to 1, got "${value}"`);
  return n;
}

const quick = PROXY_PRESETS.quick;

const HOW_CELLS_RUN =
  'Cells run in this process, with proxy trainings in a pool of --workers training processes. Ctrl-C stops ' +
  'after the running cells, and `akd study run ID` resumes. With --queue the study is only recorded and ' +
  'queued, and running workers (apps/worker) train its cells.';

/** Adds the options every study-creating command takes. */
function runOptions(command: Command): Command {
  return command
    .option('--name <name>', 'study name (default: derived from the teachers and students)')
    .option('--json', 'also print the whole study (configuration and result) as one JSON line at the end')
    .option('--queue', 'record the study and queue its cells for workers instead of running them here')
    .option(
      '--workers <n>',
      'training processes of this run (default: AKD_WORKERS or one per core)',
      positiveInt,
    );
}

/** Adds the training options of the commands that train students. */
function trainingOptions(command: Command, withFull: boolean): Command {
  command
    .option(
      '--proxy-train-size <n>',
      `images in mini-train (default: ${quick.trainSize}, fitted to small datasets)`,
      positiveInt,
    )
    .option(
      '--proxy-val-size <n>',
      `images in mini-val, where accuracy is measured (default: ${quick.valSize})`,
      positiveInt,
    )
    .option('--proxy-epochs <n>', `training epochs on mini-train (default: ${quick.epochs})`, positiveInt)
    .option('--proxy-batch-size <n>', `batch size (default: ${quick.batchSize}; 64 with --full)`, positiveInt)
    .option(
      '--proxy-learning-rate <lr>',
      `peak Adam learning rate (default: ${quick.learningRate}; 0.004 with --full)`,
      positiveNumber,
    )
    .option('--proxy-seed <n>', `seed of the mini-train/mini-val split (default: ${quick.seed})`, integer)
    .option('--kd-lambda <λ>', 'weight of the distillation term (default: 0.5; 0.9 with --full)', fraction)
    .option(
      '--kd-temperature <τ>',
      'softmax temperature of distillation (default: 2; 4 with --full)',
      positiveNumber,
    );
  if (withFull) {
    command
      .option(
        '--full',
        'train on the whole training split and score on the test split instead of the proxy task',
      )
      .option(
        '--epochs <n>',
        `epochs of --full training (default: ${DEFAULT_STUDY_FULL_EPOCHS})`,
        positiveInt,
      );
  }
  return command;
}

/** Registers `akd study` and its subcommands on `program`. */
export function registerStudyCommands(program: Command): void {
  const study = program
    .command('study')
    .description('Compare teachers: similarity, teacher × student rankings, ablations and KD-friendliness.');

  runOptions(
    study
      .command('similarity')
      .summary('Compare teachers and GT by KL divergence and top-1 agreement.')
      .description(
        'Mean KL divergence and top-1 agreement between every ordered pair of teachers and GT on one split. ' +
          'Teacher logits are computed once and cached.',
      )
      .requiredOption(
        '--teachers <list>',
        'comma-separated teacher names or ids of the default dataset; zoo names are made ready first',
      )
      .addOption(
        new Option('--split <split>', 'samples to compare on').choices(SIMILARITY_SPLITS).default('test'),
      )
      .option('--no-gt', 'leave the ground truth out')
      .option(
        '--temperature <τ>',
        'softmax temperature applied to every teacher (default: 1)',
        positiveNumber,
      ),
  ).action(runStudySimilarity);

  trainingOptions(
    runOptions(
      study
        .command('ranking')
        .summary('Rank students under each teacher, with Kendall τ between teachers.')
        .description(
          'Train every student from every teacher and from hard labels (GT) with several seeds, then print the ' +
            'accuracy matrix, the rank of each student under each teacher (students within the seed spread share a ' +
            'rank), the best student per teacher and Kendall τ between the teachers. ' +
            HOW_CELLS_RUN,
        )
        .requiredOption(
          '--teachers <list>',
          'comma-separated teacher names or ids (at least two); zoo names are made ready first',
        )
        .option('--no-gt', 'leave the hard-label (GT) column out')
        .requiredOption('--seeds <n>', 'training seeds per (student, teacher) cell: seeds 1 … n', positiveInt)
        .option('--random <n>', 'students sampled from the default search space', positiveInt)
        .option('--random-seed <n>', 'seed of --random', integer, 1)
        .option(
          '--experiments <ids>',
          'comma-separated experiments whose best candidates by reward are students',
        )
        .option('--top-k <k>', 'candidates taken from each of --experiments (default: 1)', positiveInt)
        .option('--genomes <file>', 'JSON file with an array of genomes of the default search space'),
    ),
    true,
  ).action(runStudyRanking);

  trainingOptions(
    runOptions(
      study
        .command('ablation')
        .summary('Compare searching and training by hard labels or distillation.')
        .description(
          'For each latency target, search by hard labels and by distillation, train the best student of each ' +
            'search with hard labels and with distillation, and print test top-1 and top-5 of the 2 × 2 table. ' +
            'Matching finished searches and final trainings are reused. The proxy options set the searches, ' +
            'which run in this process too, as do the final trainings. ' +
            HOW_CELLS_RUN,
        )
        .requiredOption('--teacher <name>', 'teacher name or id; a zoo name is made ready first')
        .requiredOption('--targets <ms>', 'comma-separated latency targets in milliseconds, such as 4,6')
        .requiredOption('--budget <n>', 'distinct candidates per search', positiveInt)
        .requiredOption('--generation-size <n>', 'candidates per controller update', positiveInt)
        .addOption(
          new Option('--strategy <kind>', 'search strategy')
            .choices(['policy-gradient', 'evolution', 'random'])
            .default('policy-gradient'),
        )
        .option('--search-seed <n>', 'seed of the searches', integer, 1)
        .requiredOption(
          '--final-epochs <n>',
          'epochs of each final training on the whole training split',
          positiveInt,
        ),
    ),
    false,
  ).action(runStudyAblation);

  trainingOptions(
    runOptions(
      study
        .command('kd-friendliness')
        .summary('Compare the KD gain of AKD and NAS students over generations.')
        .description(
          'At chosen generations, train the top students of an AKD search and of a conventional (NAS) search with ' +
            'distillation (KD) and with hard labels (CLS), and print the winning ratio and average gain of ' +
            "[KD(AKD) − CLS(AKD)] − [KD(NAS) − CLS(NAS)]. Training defaults to the AKD search's proxy and KD settings. " +
            HOW_CELLS_RUN,
        )
        .requiredOption('--akd <id>', 'experiment that searched by distillation')
        .requiredOption('--nas <id>', 'experiment that searched by hard labels with the same settings')
        .requiredOption(
          '--generations <list>',
          'comma-separated zero-based generation indices, such as 0,4,9',
        )
        .requiredOption('--top-k <k>', 'best students by reward taken per generation and search', positiveInt)
        .option('--seeds <n>', 'training seeds per student and method', positiveInt, 1),
    ),
    true,
  ).action(runStudyKdFriendliness);

  study
    .command('run')
    .description('Run the unfinished cells of a stored study in this process, for example after Ctrl-C.')
    .argument('<id>', 'study id')
    .option('--retry-failed', 'also run failed and cancelled cells again, with fresh attempts')
    .option('--workers <n>', 'training processes (default: AKD_WORKERS or one per core)', positiveInt)
    .option('--json', 'also print the whole study as one JSON line at the end')
    .action(runStudyResume);

  study
    .command('show')
    .description('Print a study: its result tables and the cells that have no result.')
    .argument('<id>', 'study id')
    .option('--json', 'also print the whole study as one JSON line at the end')
    .action(runStudyShow);

  study
    .command('list')
    .description('List studies, newest first.')
    .addOption(
      new Option('--kind <kind>', 'only this kind').choices([
        'similarity',
        'ranking',
        'ablation',
        'kd-friendliness',
      ]),
    )
    .addOption(
      new Option('--status <status>', 'only this status').choices([
        'pending',
        'running',
        'completed',
        'failed',
        'cancelled',
      ]),
    )
    .option('--limit <n>', 'most studies listed', positiveInt, 50)
    .option('--json', 'print a JSON array instead of a table')
    .action(runStudyList);
}
