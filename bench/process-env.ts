/**
 * The environment of every process a start-up benchmark measures: this process's, without
 * NODE_EXTRA_CA_CERTS. Where it is set (as on the machines these numbers come from; Lambda does
 * not set it), Node 20 parses the extra certificates at every start, ~30 ms of CPU and ~420 M
 * instructions that are the same for every program and bury the differences in noise.
 */
const { NODE_EXTRA_CA_CERTS: _extraCerts, ...rest } = process.env

export const measuredEnv: NodeJS.ProcessEnv = rest
