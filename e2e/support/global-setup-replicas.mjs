// The replicas run's suite (jest.replicas.config.cjs): two processes of every service.
import { startE2eSuite } from './global-setup.mjs';

export default function globalSetup() {
  return startE2eSuite({ replicas: 2 });
}
