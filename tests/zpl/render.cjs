// Render ZPL files to PNG with zpl-renderer-js (an independent renderer:
// Zebrash compiled to WASM):
//   node tests/zpl/render.cjs [--mm W H] [--dpmm N] A.zpl B.zpl …
// writes A.render.png, B.render.png. Default: 4x6 in (101.6 x 152.4 mm) at
// 8 dots/mm (203 dpi); 300 dpi is 12 dots/mm.
'use strict';
const fs = require('fs');
const path = require('path');
const { ready } = require(path.join(__dirname, 'node_modules', 'zpl-renderer-js'));

(async () => {
  const { api } = await ready;
  let w = 101.6, h = 152.4, dpmm = 8;
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--mm') { w = Number(args[++i]); h = Number(args[++i]); continue; }
    if (args[i] === '--dpmm') { dpmm = Number(args[++i]); continue; }
    const zpl = fs.readFileSync(args[i], 'utf8');
    const png = await api.zplToBase64Async(zpl, w, h, dpmm);
    fs.writeFileSync(args[i].replace(/\.zpl$/, '') + '.render.png', Buffer.from(png, 'base64'));
  }
  process.exit(0);
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
