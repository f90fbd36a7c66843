/**
 * A reproducible zip writer: sorted entries, fixed timestamps and modes, deflate, no extra fields.
 * Same files in, same bytes out, so the Lambda code hash only changes when the code does.
 *
 * @module
 */
import { crc32, deflateRawSync } from 'node:zlib'

/** One file to store in a zip. */
export interface ZipEntry {
  /** Path inside the archive, with `/` separators and no leading slash. */
  readonly path: string
  readonly data: Uint8Array
  /** Unix mode bits; defaults to 0o644. */
  readonly mode?: number
}

// 1980-01-01 00:00:00, the earliest DOS date: no clock, no time zone in the output.
const dosTime = 0
const dosDate = (0 << 9) | (1 << 5) | 1

/**
 * Builds a zip archive in memory. Entries are sorted by path; duplicates are an error.
 *
 * @example
 * ```ts
 * const zip = createZip([{ path: 'index.mjs', data: new TextEncoder().encode('export const handler = async () => 1') }])
 * ```
 */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  let previous: string | undefined
  for (const entry of sorted) {
    if (entry.path === previous) throw new TypeError(`Duplicate zip entry "${entry.path}"`)
    if (entry.path.startsWith('/') || entry.path.includes('\\') || entry.path.split('/').includes('..')) {
      throw new TypeError(`Invalid zip entry path "${entry.path}"`)
    }
    previous = entry.path
    const name = Buffer.from(entry.path, 'utf8')
    const raw = Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength)
    const deflated = deflateRawSync(raw, { level: 9 })
    // Store tiny or incompressible files as they are, as zip tools do.
    const stored = deflated.byteLength >= raw.byteLength
    const body = stored ? raw : deflated
    const crc = crc32(raw)
    const method = stored ? 0 : 8
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed: 2.0
    local.writeUInt16LE(0x0800, 6) // flags: names are UTF-8
    local.writeUInt16LE(method, 8)
    local.writeUInt16LE(dosTime, 10)
    local.writeUInt16LE(dosDate, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.byteLength, 18)
    local.writeUInt32LE(raw.byteLength, 22)
    local.writeUInt16LE(name.byteLength, 26)
    local.writeUInt16LE(0, 28)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE((3 << 8) | 20, 4) // made by: Unix, 2.0 (so the mode bits below count)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(method, 10)
    central.writeUInt16LE(dosTime, 12)
    central.writeUInt16LE(dosDate, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.byteLength, 20)
    central.writeUInt32LE(raw.byteLength, 24)
    central.writeUInt16LE(name.byteLength, 28)
    central.writeUInt32LE((((entry.mode ?? 0o644) | 0o100000) << 16) >>> 0, 38) // regular file + mode
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, body)
    centrals.push(central, name)
    offset += local.byteLength + name.byteLength + body.byteLength
  }
  const centralSize = centrals.reduce((n, b) => n + b.byteLength, 0)
  if (sorted.length > 0xffff || offset > 0xffffffff)
    throw new RangeError('Zip too large: zip64 is not supported')
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(sorted.length, 8)
  end.writeUInt16LE(sorted.length, 10)
  end.writeUInt32LE(centralSize, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, ...centrals, end])
}

/** One entry read back by {@link readZip}. */
export interface ZipListing {
  readonly path: string
  readonly size: number
  readonly mode: number
  readonly method: number
}

/**
 * Lists a zip's central directory (used by tests and `manifold build` to report the archive).
 *
 * @example
 * ```ts
 * readZip(createZip([{ path: 'a.txt', data: new Uint8Array([1]) }]))[0]?.path // 'a.txt'
 * ```
 */
export function readZip(zip: Buffer): ZipListing[] {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (endAt < 0) throw new TypeError('Not a zip archive: no end of central directory')
  const count = zip.readUInt16LE(endAt + 10)
  let at = zip.readUInt32LE(endAt + 16)
  const list: ZipListing[] = []
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28)
    const extra = zip.readUInt16LE(at + 30)
    const comment = zip.readUInt16LE(at + 32)
    list.push({
      path: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      size: zip.readUInt32LE(at + 24),
      mode: (zip.readUInt32LE(at + 38) >>> 16) & 0o7777,
      method: zip.readUInt16LE(at + 10),
    })
    at += 46 + nameLength + extra + comment
  }
  return list
}
