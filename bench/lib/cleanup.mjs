// Undo steps for a benchmark run: whatever it created (processes, databases, vhosts, connections)
// is registered as it is created and undone last in, first out — on success, on error and on Ctrl-C.

export class Cleanup {
  #steps = [];

  /** Registers a step; `label` names it when it fails. */
  defer(step, label = 'cleanup') {
    this.#steps.push({ step, label });
  }

  /** Runs every step (each once), even when an earlier one fails. */
  async run() {
    while (this.#steps.length > 0) {
      const { step, label } = this.#steps.pop();
      await Promise.resolve()
        .then(step)
        .catch((error) => console.error(`${label}: ${error.message}`));
    }
  }
}
