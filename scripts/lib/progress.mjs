/**
 * The progress bar and Ctrl-C handling the long-running scripts share. The bar
 * draws on stderr when it is a terminal; the first Ctrl-C asks the script to stop
 * after the batch in hand, a second one exits at once (safe too: see the scripts).
 */
import cliProgress from 'cli-progress';

export const createProgressBar = (label) =>
  new cliProgress.SingleBar(
    {
      format: `${label} |{bar}| {percentage}% | {value}/{total} rows | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic
  );

export const stopOnInterrupt = () => {
  const state = { requested: false };
  const onSignal = (signal) => {
    if (state.requested) process.exit(130);
    state.requested = true;
    process.stderr.write(`\n${signal}: stopping after the current batch (again to quit now)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return state;
};
