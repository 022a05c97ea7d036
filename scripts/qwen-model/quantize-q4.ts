/**
 * q4 (`model_q4.onnx`): what onnxruntime's `MatMul4BitsQuantizer(model, block_size=32)` (is_symmetric False,
 * accuracy_level None, QOperator format, op types ("MatMul",)) writes, ported from matmul_4bits_quantizer.py /
 * matmul_nbits_quantizer.py (DefaultWeightOnlyQuantizer) and MLAS's blockwise quantizer (q4_dq.cpp) that its
 * `quantize_matmul_4bits` binding calls.
 *
 * Each MatMul whose B is a 2-D float initializer [K, N] becomes com.microsoft MatMulNBits(A, B_Q4, B_scales,
 * B_zero_points) with attributes K, N, bits=4, block_size=32. Per column n and block of 32 rows:
 *   min = min(block, 0), max = max(block, 0), scale = (max - min) / 15,
 *   zero_point = clamp(roundf(-min / scale), 0, 15), q = clamp(roundf(v / scale + zero_point), 0, 15)
 * (in float32, v / scale as v * (1 / scale), roundf = halves away from zero). Layout:
 *   B_Q4 uint8 [N, K/32, 16]: column-major blocks, element 2j in the low nibble of byte j, 2j+1 in the high one;
 *   B_scales float32 [N * K/32]; B_zero_points uint8 [N * ceil(K/32 / 2)], two blocks a byte, even block low.
 * Everything else stays fp32, the embedding included (Gather is not in the default op types) and so the tied lm_head,
 * whose B is the embedding transposed in the graph, not an initializer. The fp32 B initializers are dropped; the
 * com.microsoft opset (version 1) is imported.
 */
import { DataType, makeNode, makeTensor, type ModelProto, type NodeProto, type TensorProto } from '../../src/models/onnx/proto.ts';
import { asFloat32, roundHalfAway } from './quant-utils.ts';

export const Q4_BLOCK_SIZE = 32;
const MS_DOMAIN = 'com.microsoft';

/**
 * MlasQuantizeBlockwise<float, 4>, column-wise, for a row-major [K, N] matrix. Walks the matrix row by row (block
 * statistics for all N columns at once) instead of down each column: same numbers, cache-friendly.
 */
export function quantizeBlockwise4(w: Float32Array, K: number, N: number, blockSize = Q4_BLOCK_SIZE) {
  const kBlocks = Math.ceil(K / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(N * kBlocks * blob);
  const scales = new Float32Array(N * kBlocks);
  const zpStride = Math.ceil(kBlocks / 2);
  const zeroPoints = new Uint8Array(N * zpStride);
  const mins = new Float32Array(N);
  const maxs = new Float32Array(N);
  const recip = new Float32Array(N);
  const zps = new Uint8Array(N);
  for (let b = 0; b < kBlocks; b++) {
    const k0 = b * blockSize;
    const k1 = Math.min(K, k0 + blockSize);
    // min(block, 0) and max(block, 0) per column.
    mins.fill(0);
    maxs.fill(0);
    for (let k = k0; k < k1; k++) {
      const off = k * N;
      for (let n = 0; n < N; n++) {
        const v = w[off + n];
        if (v < mins[n]) mins[n] = v;
        if (v > maxs[n]) maxs[n] = v;
      }
    }
    for (let n = 0; n < N; n++) {
      const min = mins[n];
      const scale = Math.fround(Math.fround(maxs[n] - min) / 15);
      let zpf = min;
      if (scale !== 0) zpf = Math.fround(0 - Math.fround(min / scale));
      const zp = zpf < 0 ? 0 : zpf > 15 ? 15 : roundHalfAway(zpf);
      scales[n * kBlocks + b] = scale;
      zeroPoints[n * zpStride + (b >> 1)] |= b & 1 ? zp << 4 : zp;
      zps[n] = zp;
      recip[n] = scale !== 0 ? Math.fround(1 / scale) : 0;
    }
    for (let k = k0; k < k0 + blockSize; k++) {
      const off = k * N;
      const high = (k - k0) & 1;
      const byte = (k - k0) >> 1;
      for (let n = 0; n < N; n++) {
        let q = zps[n]; // padding rows (K not a multiple of the block) hold the zero point
        if (k < k1) {
          q = roundHalfAway(Math.fround(Math.fround(w[off + n] * recip[n]) + zps[n]));
          q = q < 0 ? 0 : q > 15 ? 15 : q;
        }
        packed[(n * kBlocks + b) * blob + byte] |= high ? q << 4 : q;
      }
    }
  }
  return { packed, scales, zeroPoints, kBlocks };
}

export function quantizeMatMul4Bits(model: ModelProto, blockSize = Q4_BLOCK_SIZE): ModelProto {
  const graph = model.graph!;
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name!, t]));
  const added: TensorProto[] = [];
  const nodes: NodeProto[] = [];
  for (const node of graph.node ?? []) {
    const b = node.op_type === 'MatMul' && !node.domain ? inits.get(node.input![1]) : undefined;
    if (!b || b.data_type !== DataType.FLOAT || b.dims?.length !== 2) {
      nodes.push(node);
      continue;
    }
    const [K, N] = b.dims.map(Number);
    const { packed, scales, zeroPoints, kBlocks } = quantizeBlockwise4(asFloat32(b), K, N, blockSize);
    const qName = `${b.name}_Q4`;
    const sName = `${b.name}_scales`;
    const zName = `${b.name}_zero_points`;
    added.push(makeTensor(qName, DataType.UINT8, [N, kBlocks, blockSize / 2], packed));
    added.push(makeTensor(sName, DataType.FLOAT, [scales.length], scales));
    added.push(makeTensor(zName, DataType.UINT8, [zeroPoints.length], zeroPoints));
    nodes.push(
      makeNode('MatMulNBits', [node.input![0], qName, sName, zName], [node.output![0]], node.name ? `${node.name}_Q4` : '', { K, N, bits: 4, block_size: blockSize }, MS_DOMAIN),
    );
  }
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  const initializer = [...(graph.initializer ?? []), ...added].filter((t) => used.has(t.name!));
  const opset_import = [...(model.opset_import ?? [])];
  if (!opset_import.some((o) => o.domain === MS_DOMAIN)) opset_import.push({ domain: MS_DOMAIN, version: 1 });
  return { ...model, opset_import, graph: { ...graph, node: nodes, initializer } };
}
