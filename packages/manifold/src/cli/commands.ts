/**
 * The command tree: dotted operation names become nested groups (`tags.list` -> `tags list`).
 *
 * @module
 */
import type { AnyApp } from '../app.ts'
import type { AnyOp } from '../op.ts'

/** A group of commands, or one command (an operation). */
export interface CommandNode {
  /** Words from the root: `['tags', 'list']`. */
  readonly words: readonly string[]
  readonly children: Map<string, CommandNode>
  readonly op: AnyOp | undefined
}

/** The command tree of an app, without operations hidden from the CLI. */
export function commandTree(target: AnyApp): CommandNode {
  const root: CommandNode = { words: [], children: new Map(), op: undefined }
  for (const operation of target.operations) {
    if (operation.cli === false) continue
    let node = root
    for (const word of operation.name.split('.')) {
      let child = node.children.get(word)
      if (child === undefined) {
        child = { words: [...node.words, word], children: new Map(), op: undefined }
        node.children.set(word, child)
      }
      node = child
    }
    ;(node as { op: AnyOp | undefined }).op = operation
  }
  return root
}

/** Every command (leaf) below a node, in definition order. */
export function leaves(node: CommandNode): CommandNode[] {
  if (node.op !== undefined) return [node]
  return [...node.children.values()].flatMap(leaves)
}

/** `my-app` -> `MY_APP`, the prefix of the app's own environment variables. */
export function envPrefix(appName: string): string {
  return appName.toUpperCase().replace(/-/g, '_')
}
