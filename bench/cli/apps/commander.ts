import { Command } from 'commander'

const program = new Command('hello').version('1.0.0')
program
  .command('greet')
  .description('Say hello')
  .requiredOption('--name <name>', 'Who to greet')
  .action((options: { name: string }) => {
    console.log(`Hello, ${options.name}!`)
  })
program.parse()
