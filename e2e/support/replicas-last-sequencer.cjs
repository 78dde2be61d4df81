// The replicas run's order: the check that every replica did work (src/replicas) comes after the
// flows that give them the work; the others in Jest's usual order.
const Sequencer = require('@jest/test-sequencer').default;

const isReplicaCheck = (test) => /[\\/]src[\\/]replicas[\\/]/.test(test.path);

class ReplicasLastSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    return [...sorted.filter((test) => !isReplicaCheck(test)), ...sorted.filter(isReplicaCheck)];
  }
}

module.exports = ReplicasLastSequencer;
