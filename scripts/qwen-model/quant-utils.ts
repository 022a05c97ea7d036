import { DataType, type TensorProto } from '../../src/models/onnx/proto.ts';

/** numpy's round(): halves to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** C's roundf(): halves away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** A float32 tensor's values (from raw_data, or float_data). */
export function asFloat32(t: TensorProto): Float32Array {
  if (t.data_type !== DataType.FLOAT) throw new Error(`tensor ${t.name} is not float32`);
  if (t.raw_data) {
    const raw = t.raw_data;
    if (raw.byteOffset % 4 === 0) return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    return new Float32Array(raw.slice().buffer);
  }
  return Float32Array.from(t.float_data ?? []);
}
