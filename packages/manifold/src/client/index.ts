/**
 * manifold/client: a typed client of a manifold HTTP API, inferred from the app's type.
 *
 * @module
 */
export { type ClientOptions, client } from './client.ts'
export type { Client, ClientCallOptions, ClientMethod, ClientResult, ClientTree } from './types.ts'
