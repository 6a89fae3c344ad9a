/**
 * Renders a Vega-Lite spec in Node, with no browser and no network: vega-lite compiles it, a
 * headless vega View (renderer 'none') draws it to SVG, and resvg rasterises that SVG to PNG
 * with the system fonts (DejaVu Sans). PNG size budget: resvg's lossless PNG when it fits,
 * else the same pixels quantised to a 256-colour palette (charts are mostly flat colours, so
 * this is usually 3× smaller and looks the same), else re-rendered narrower until it fits.
 * Independent of the store: specs in, strings and buffers out.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { deflateSync } from 'node:zlib';
import type { VegaLiteSpec } from './types.js';

const DEFAULT_WIDTH = 900;
const DEFAULT_MAX_BYTES = 200_000;
const MIN_WIDTH = 240;

/** The chart as an SVG document. */
export async function chartSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

// ------------------------------------------------------------------ PNG encoding (palette)

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(buf: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/**
 * An 8-bit palette PNG of opaque RGBA pixels: the 256 most used colours (averaged per 5-bit
 * RGB cell) and every pixel mapped to the nearest of them (weighted RGB distance).
 */
function palettePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const n = width * height;
  const count = new Uint32Array(32768);
  const sum = new Float64Array(32768 * 3);
  const cell = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
    const k = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    cell[i] = k;
    count[k]++;
    sum[3 * k] += r;
    sum[3 * k + 1] += g;
    sum[3 * k + 2] += b;
  }
  const used = [...count.keys()].filter((k) => count[k] > 0).sort((a, b) => count[b] - count[a]).slice(0, 256);
  const palette = new Uint8Array(used.length * 3);
  used.forEach((k, j) => {
    for (let c = 0; c < 3; c++) palette[3 * j + c] = Math.round(sum[3 * k + c] / count[k]);
  });
  const nearest = new Int16Array(32768).fill(-1);
  const raw = Buffer.alloc((width + 1) * height);
  for (let i = 0; i < n; i++) {
    const k = cell[i];
    let p = nearest[k];
    if (p < 0) {
      const r = ((k >> 10) << 3) + 4, g = (((k >> 5) & 31) << 3) + 4, b = ((k & 31) << 3) + 4;
      let best = Infinity;
      for (let j = 0; j < used.length; j++) {
        const d = 2 * (palette[3 * j] - r) ** 2 + 4 * (palette[3 * j + 1] - g) ** 2 + 3 * (palette[3 * j + 2] - b) ** 2;
        if (d < best) [best, p] = [d, j];
      }
      nearest[k] = p;
    }
    raw[Math.floor(i / width) * (width + 1) + 1 + (i % width)] = p; // filter byte 0 (none) per row
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 3, 0, 0, 0], 8); // 8-bit, palette, deflate, no filter method variants, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('PLTE', palette),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

function rasterise(svg: string, width: number, maxBytes: number): Buffer {
  const img = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'width', value: width },
    background: 'white',
  }).render();
  const png = img.asPng();
  if (png.length <= maxBytes) return png;
  return palettePng(img.pixels, img.width, img.height);
}

/**
 * The chart as a PNG `width` pixels wide (default 900). Over `maxBytes` (default 200,000) it
 * is palette-quantised, then re-rendered narrower (down to 240 px); throws when even that
 * does not fit.
 */
export async function chartPng(spec: VegaLiteSpec, opts: { width?: number; maxBytes?: number } = {}): Promise<Buffer> {
  const width = Math.round(opts.width ?? DEFAULT_WIDTH);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(width > 0)) throw new Error(`chart PNG width must be positive, got ${opts.width}`);
  const svg = await chartSvg(spec);
  let w = width;
  let png = rasterise(svg, w, maxBytes);
  while (png.length > maxBytes && w > MIN_WIDTH) {
    // Bytes grow roughly with the area, i.e. with the square of the width.
    const guess = Math.floor(w * Math.min(0.85, Math.sqrt(maxBytes / png.length)));
    w = Math.max(MIN_WIDTH, Math.min(w - 1, guess));
    png = rasterise(svg, w, maxBytes);
  }
  if (png.length > maxBytes) {
    throw new Error(`chart PNG is ${png.length} bytes even at ${w} px wide, over the ${maxBytes}-byte limit (asked for ${width} px); simplify the chart or raise maxBytes`);
  }
  return png;
}
