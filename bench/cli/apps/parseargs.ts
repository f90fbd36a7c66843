// The floor for a real CLI: node:util parseArgs by hand, with a help text and one error check.
import { parseArgs } from 'node:util'

const help = `Usage: hello greet --name <name>

Commands:
  greet  Say hello

Flags:
  --name <string>  Who to greet (required)
  -h, --help       Show help
`
const [command, ...rest] = process.argv.slice(2)
const { values } = parseArgs({
  args: rest,
  options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
})
if (command === '--help' || command === undefined || values.help) {
  process.stdout.write(help)
} else if (command !== 'greet' || values.name === undefined) {
  process.stderr.write('Error: usage: hello greet --name <name>\n')
  process.exit(64)
} else {
  process.stdout.write(`Hello, ${values.name}!\n`)
}
