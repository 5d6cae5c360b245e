import { Command, InvalidArgumentError } from 'commander';
import { AkdError } from '@akd/core';
import { runDemo } from './commands/demo.js';
import { runTeachersTrain } from './commands/teachers.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a number greater than 0, got "${value}"`);
  return n;
}

const program = new Command()
  .name('akd')
  .description('AKD Studio: search the student architecture that learns best from a given teacher.')
  .showHelpAfterError();

program
  .command('demo')
  .description(
    'Train or reuse the zoo teachers, run one distillation search per teacher and one hard-label search, and print a leaderboard per teacher.',
  )
  .option(
    '--quick',
    'small preset for CPU machines: 6 candidates per search in generations of 3, mini-train 2000 / mini-val 1000 images, 2 epochs, 6 ms target (default preset: 60 candidates, 10000 / 5000 images, 5 epochs)',
  )
  .option('--json', 'print a one-line JSON summary as the last line')
  .option('--retrain-teachers', 'train the teachers even if trained or shipped weights exist')
  .option('--fresh', 'start new searches even if finished demo searches with the same settings exist')
  .option(
    '--budget <n>',
    'distinct candidates trained per search (default: 6 with --quick, else 60)',
    positiveInt,
  )
  .option(
    '--generation-size <n>',
    'candidates sampled per controller update (default: 3 with --quick, else 10)',
    positiveInt,
  )
  .option(
    '--target-ms <ms>',
    'latency target T of the reward: median batch-1 forward time in milliseconds on the training backend (default: 6)',
    positiveNumber,
  )
  .option('--workers <n>', 'parallel training processes (default: AKD_WORKERS or one per core)', positiveInt)
  .option(
    '--teachers <names>',
    'comma-separated zoo teachers: resnet, vgg, mobilenetv2, densenet, inception, wide-shallow',
    'resnet,vgg,mobilenetv2',
  )
  .option(
    '--proxy-train-size <n>',
    'images in mini-train, the part of the training split each candidate trains on (default: 2000 with --quick, else 10000)',
    positiveInt,
  )
  .option(
    '--proxy-val-size <n>',
    'images in mini-val, the held-out part of the training split that scores each candidate (default: 1000 with --quick, else 5000)',
    positiveInt,
  )
  .option(
    '--proxy-epochs <n>',
    'training epochs of each candidate (default: 2 with --quick, else 5)',
    positiveInt,
  )
  .action(runDemo);

const teachers = program.command('teachers').description('Manage teachers.');
teachers
  .command('train')
  .description('Train zoo teachers on the default dataset and store them.')
  .option('--names <names>', 'comma-separated zoo teachers', 'resnet,vgg,mobilenetv2')
  .option('--epochs <n>', 'training epochs', positiveInt)
  .option('--batch-size <n>', 'batch size', positiveInt)
  .option('--learning-rate <lr>', 'peak Adam learning rate', positiveNumber)
  .option('--seed <n>', 'seed of weights and batch order', positiveInt)
  .option('--ship', 'also copy the trained weights into data/teachers/ with their settings and checksums')
  .action(runTeachersTrain);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof AkdError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(error.code === 'INTERNAL' ? 70 : 2);
  }
  // The WASM backend turns unhandled errors into a dump of its own source, so report them here.
  process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
