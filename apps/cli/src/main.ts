import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AkdError, checkLogSettings } from '@akd/core';
import { BACKEND_NAMES } from '@akd/engine';
import { runDemo } from './commands/demo.js';
import { DEFAULT_EXPORT_TRAIN_EPOCHS, runExport } from './commands/export.js';
import { runLatencyProfile } from './commands/latency.js';
import { registerStudyCommands } from './commands/study-commands.js';
import { runTeachersTrain } from './commands/teachers.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`expected a port number from 0 to 65535, got "${value}"`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a number greater than 0, got "${value}"`);
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a whole number of at least 0, got "${value}"`);
  return n;
}

const program = new Command()
  .name('akd')
  .description('AKD Studio: search the student architecture that learns best from a given teacher.');

program
  .command('demo')
  .description(
    'Start the API and a worker, make the zoo teachers ready, run one distillation search per teacher and one hard-label search through the API, and print a leaderboard per teacher.',
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
    'latency target T of the reward: batch-1 forward time in milliseconds on the training backend, the fastest of 21 passes (default: 6)',
    positiveNumber,
  )
  .option(
    '--workers <n>',
    'candidate training processes of the worker (default: AKD_WORKERS or one per core)',
    positiveInt,
  )
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
  .option(
    '--api-port <port>',
    'port of the API on AKD_API_HOST (default: AKD_API_PORT or 4000; 0 picks a free port)',
    port,
  )
  .option('--serve', 'keep the API and the worker running after the leaderboards, until Ctrl-C')
  .option('--web', 'also start the web dashboard (npm run start in apps/web)')
  .option(
    '--web-port <port>',
    'port of the dashboard that --web starts (default: 3000; 0 picks a free port)',
    port,
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

const latency = program.command('latency').description('Manage latency profiles.');
latency
  .command('profile')
  .description(
    "Measure every layer configuration of the default search space at a dataset's input shape on this machine's backend, fit latency against FLOPs, and store the result as a latency profile for TABLE and FLOPS experiments.",
  )
  .option('--name <name>', 'profile name, unique (default: host, backend, input shape and time)')
  .option(
    '--dataset <dataset>',
    'dataset whose input shape and classes size the space: fashion-mnist, fashion-mnist-subset or a directory (default: AKD_DATASET, else the default dataset)',
  )
  .addOption(
    new Option(
      '--backend <name>',
      'TensorFlow.js backend to measure on (default: AKD_BACKEND, else the first that loads)',
    ).choices(BACKEND_NAMES),
  )
  .option(
    '--warmup-runs <n>',
    'forward passes discarded before timing each part (default: 3)',
    nonNegativeInt,
  )
  .option('--runs <n>', 'timed forward passes per part; the median is stored (default: 15)', positiveInt)
  .option(
    '--networks <n>',
    'random students timed end to end for the network overhead and the FLOPs fit; 0 skips both (default: 30)',
    nonNegativeInt,
  )
  .option('--json', 'print a one-line JSON summary as the last line')
  .action(runLatencyProfile);

program
  .command('export')
  .description(
    'Copy a trained student into a TF.js model directory: model.json, weight shards, genome.json and metadata.json (genome, teacher, dataset, experiment, distillation settings, accuracies, latency and its backend, input scaling and output classes).',
  )
  .argument('[MODEL_ID]', 'id of a completed trained model')
  .requiredOption('--out <dir>', 'directory to create; it must not exist or be empty')
  .option('--experiment <id>', 'export a trained model of this experiment instead of MODEL_ID (with --best)')
  .option('--best', "with --experiment: the experiment's completed trained model with the best test top-1")
  .option('--method <method>', 'with --best: only models of this method: hard-label, hinton, cc, ta or rco')
  .option(
    '--train',
    'with --best: when the experiment has no completed trained model, train its best candidate by reward first, in this process (method: --method, else hinton with a teacher and hard-label without)',
  )
  .option(
    '--epochs <n>',
    `with --train: training epochs (default: ${DEFAULT_EXPORT_TRAIN_EPOCHS})`,
    positiveInt,
  )
  .option('--json', 'print a one-line JSON summary instead of text')
  .action(runExport);

registerStudyCommands(program);
addUsageHints(program);

/**
 * Makes `command` and its subcommands follow a usage error (an unknown option, a missing
 * argument, an invalid value) with a pointer to their help instead of the whole help text. They
 * also throw a CommanderError in place of exiting, so that the handler below sets the exit code.
 */
function addUsageHints(command: Command): void {
  const path: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) path.unshift(current.name());
  const listed = command.commands.length > 0 ? 'commands' : 'options';
  command.showHelpAfterError(`Run "${path.join(' ')} --help" for the ${listed}.`).exitOverride();
  for (const subcommand of command.commands) addUsageHints(subcommand);
}

try {
  checkLogSettings();
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed the help (exit code 0) or the error and the hint (exit code 2).
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  if (error instanceof AkdError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(error.code === 'INTERNAL' ? 70 : 2);
  }
  // The WASM backend turns unhandled errors into a dump of its own source, so report them here.
  process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
