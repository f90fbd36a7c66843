/**
 * The local Lambda runtime of `manifold lambda serve` and `manifold lambda invoke`: a Runtime
 * API emulator, our own runtime client, sample events of every trigger and an HTTP bridge.
 *
 * @module
 */
export {
  type Emulator,
  type EmulatorOptions,
  type Invocation,
  startEmulator,
  syncPayloadLimit,
  taskOf,
} from './emulator.ts'
export {
  type DecodedHttpResult,
  decodeHttpResult,
  decodeStream,
  eventKinds,
  type SampleKind,
  type SampleRequest,
  sampleEvent,
} from './events.ts'
export { type BridgeKind, type ServeLambdaOptions, serveLambda } from './serve.ts'
