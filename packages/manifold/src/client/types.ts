/**
 * Types of the typed client: a tree of methods inferred from an app's dotted operation names.
 *
 * @module
 */
import type { AnyApp, InputOf, OpName, OutputOf } from '../app.ts'
import type { AnyOp, Op } from '../op.ts'

/** Per-call options of the client. */
export interface ClientCallOptions {
  /** Aborts the request; the call rejects with `cancelled`. */
  readonly signal?: AbortSignal
  /** Extra headers for this call only. */
  readonly headers?: Readonly<Record<string, string>>
}

/** What a call resolves to: the output, or an AsyncIterable of items for a streaming operation. */
export type ClientResult<O, S> = S extends true ? AsyncIterable<O> : O

/** One operation as a client method; the input is optional when the operation takes none. */
export type ClientMethod<I, O, S> = undefined extends I
  ? (input?: I, options?: ClientCallOptions) => Promise<ClientResult<O, S>>
  : (input: I, options?: ClientCallOptions) => Promise<ClientResult<O, S>>

type MethodOf<O> = O extends Op<string, infer I, infer Out, infer S> ? ClientMethod<I, Out, S> : never

type Segment<N extends string, P extends string> = N extends `${P}${infer Rest}`
  ? Rest extends `${infer Head}.${string}`
    ? Head
    : Rest
  : never

/** The method tree of a set of operations below a dotted prefix. */
export type ClientTree<Ops extends AnyOp, P extends string = ''> = {
  readonly [K in Segment<Ops['name'], P>]: `${P}${K}` extends Ops['name']
    ? MethodOf<Extract<Ops, { readonly name: `${P}${K}` }>>
    : ClientTree<Ops, `${P}${K}.`>
}

/** Whether an operation streams. */
export type StreamOf<A extends AnyApp, N extends string> =
  Extract<A['operations'][number], { readonly name: N }> extends Op<string, infer _I, infer _O, infer S>
    ? S
    : false

/** The typed client of an app: nested methods by dotted name, plus `$call` by name. */
export type Client<A extends AnyApp> = ClientTree<A['operations'][number]> & {
  /** Calls an operation by a name known at run time. */
  $call<N extends OpName<A>>(
    name: N,
    input?: InputOf<A, N>,
    options?: ClientCallOptions,
  ): Promise<ClientResult<OutputOf<A, N>, StreamOf<A, N>>>
}
