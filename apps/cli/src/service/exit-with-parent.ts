// Preloaded with `node --import` into the API and worker processes that `akd demo` starts. They
// run in their own process group, so Ctrl-C in the terminal reaches only the demo, which then
// stops them in order. When the demo ends without stopping them (it crashed or was killed), its
// IPC channel closes, and this module sends SIGTERM to its own process, which then stops the same
// way as after `kill PID`.
if (process.channel) {
  // The channel only watches the parent, so it must not keep a stopped service alive.
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

export {};
