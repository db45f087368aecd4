// Worker-thread entry of exact-pool.ts. Worker threads do not inherit the parent's tsx
// loader hooks on Node 20, so register tsx here, then load the TypeScript worker body.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./exact-worker.ts');
export default mod.default;
