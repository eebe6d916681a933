// Reference descriptors from face-api.js itself, for verify.py.
//
// Usage: node faceapi_reference.js CHIP.rgb... > descriptors.json
// Each CHIP.rgb is a 150 x 150 x 3 uint8 RGB face chip. It is given to face-api's
// FaceRecognitionNet as a tensor of 0..255 floats, exactly what face-api builds from an
// image of that size (no resize, no padding), on tfjs's plain JavaScript 'cpu' backend.
// Prints one 128-number descriptor per chip, as JSON.
'use strict';

const fs = require('fs');
const path = require('path');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

async function main() {
  const chips = process.argv.slice(2);
  await faceapi.tf.setBackend('cpu');
  await faceapi.tf.ready();
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  const out = { faceapi: faceapi.version, tfjs: faceapi.tf.version_core, backend: faceapi.tf.getBackend(), descriptors: [] };
  for (const chip of chips) {
    const bytes = fs.readFileSync(chip);
    if (bytes.length !== 150 * 150 * 3) throw new Error(`${chip}: expected 150x150x3 bytes`);
    const input = faceapi.tf.tensor3d(Float32Array.from(bytes), [150, 150, 3], 'float32');
    const descriptor = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input);
    input.dispose();
    out.descriptors.push(Array.from(descriptor));
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
