// Imports one bundle and exits: the import half of a cold start (instructions.ts counts it).
import { pathToFileURL } from 'node:url'

await import(pathToFileURL(process.argv[2]).href)
