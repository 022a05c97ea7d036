/**
 * ONNX protobuf: encode and decode `ModelProto`, and read/write models whose tensors live in external data files.
 *
 * Generic on purpose: the Qwen-shaped test model generator writes graphs with it, and the ONNX backend will read and
 * rewrite graphs with it. The schema is the vendored `onnx.proto` beside this file (ONNX v1.12.0, Apache-2.0), parsed
 * at run time by protobufjs; field names keep the .proto's snake_case (`raw_data`, `data_type`, `op_type`...), so the
 * ONNX documentation applies as written.
 *
 * Conventions of the plain objects this module takes and returns:
 * - 64-bit integers (`dims`, attribute `i`/`ints`, `ir_version`, opset `version`...) are `number` when they are safe
 *   integers and `bigint` otherwise (INT64_MAX in old Slice attributes survives a decode/encode round trip).
 * - `bytes` fields are `Uint8Array` (a decoded model's tensors are views into the decoded buffer, not copies).
 * - Unset fields are absent. Fields that the v1.12 schema does not know (newer ONNX additions) are dropped on decode.
 * - Typed-array tensor data is little-endian, as ONNX `raw_data` requires (every platform Node supports).
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync, writeFileSync, fstatSync, readSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import protobuf from 'protobufjs';

export type Int64 = number | bigint;

/** `TensorProto.DataType`. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

/** `AttributeProto.AttributeType`. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  SPARSE_TENSOR: 11,
  TYPE_PROTO: 13,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSORS: 12,
  TYPE_PROTOS: 14,
} as const;

/** `TensorProto.DataLocation`. */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;

export interface StringStringEntryProto {
  key?: string;
  value?: string;
}

export interface TensorProto {
  dims?: Int64[];
  data_type?: number;
  segment?: { begin?: Int64; end?: Int64 };
  float_data?: number[];
  int32_data?: number[];
  string_data?: Uint8Array[];
  int64_data?: Int64[];
  name?: string;
  doc_string?: string;
  raw_data?: Uint8Array;
  external_data?: StringStringEntryProto[];
  data_location?: number;
  double_data?: number[];
  uint64_data?: Int64[];
}

export interface SparseTensorProto {
  values?: TensorProto;
  indices?: TensorProto;
  dims?: Int64[];
}

export interface TensorShapeDimension {
  dim_value?: Int64;
  dim_param?: string;
  denotation?: string;
}

export interface TensorShapeProto {
  dim?: TensorShapeDimension[];
}

export interface TypeProto {
  tensor_type?: { elem_type?: number; shape?: TensorShapeProto };
  sequence_type?: { elem_type?: TypeProto };
  map_type?: { key_type?: number; value_type?: TypeProto };
  optional_type?: { elem_type?: TypeProto };
  sparse_tensor_type?: { elem_type?: number; shape?: TensorShapeProto };
  denotation?: string;
}

export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  doc_string?: string;
}

export interface AttributeProto {
  name?: string;
  ref_attr_name?: string;
  doc_string?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  sparse_tensor?: SparseTensorProto;
  tp?: TypeProto;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
  sparse_tensors?: SparseTensorProto[];
  type_protos?: TypeProto[];
}

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeProto[];
  doc_string?: string;
}

export interface TensorAnnotation {
  tensor_name?: string;
  quant_parameter_tensor_names?: StringStringEntryProto[];
}

export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  sparse_initializer?: SparseTensorProto[];
  doc_string?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
  quantization_annotation?: TensorAnnotation[];
}

export interface OperatorSetIdProto {
  domain?: string;
  version?: Int64;
}

export interface FunctionProto {
  name?: string;
  input?: string[];
  output?: string[];
  attribute?: string[];
  node?: NodeProto[];
  doc_string?: string;
  opset_import?: OperatorSetIdProto[];
  domain?: string;
}

export interface TrainingInfoProto {
  initialization?: GraphProto;
  algorithm?: GraphProto;
  initialization_binding?: StringStringEntryProto[];
  update_binding?: StringStringEntryProto[];
}

export interface ModelProto {
  ir_version?: Int64;
  opset_import?: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: Int64;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props?: StringStringEntryProto[];
  training_info?: TrainingInfoProto[];
  functions?: FunctionProto[];
}

// ---------------------------------------------------------------- schema

let modelType: protobuf.Type | undefined;
let tensorType: protobuf.Type | undefined;

function schema(): { model: protobuf.Type; tensor: protobuf.Type } {
  if (!modelType || !tensorType) {
    const text = readFileSync(new URL('./onnx.proto', import.meta.url), 'utf8');
    const root = protobuf.parse(text, { keepCase: true }).root;
    modelType = root.lookupType('onnx.ModelProto');
    tensorType = root.lookupType('onnx.TensorProto');
  }
  return { model: modelType, tensor: tensorType };
}

/** bigint -> number where it is a safe integer, recursively (bytes and typed arrays are left alone). */
function narrowInt64(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = narrowInt64(value[i]);
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) obj[k] = narrowInt64(obj[k]);
  return obj;
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: BigInt, enums: Number };

/** Serializes a model to protobuf bytes (the whole model must stay under protobuf's 2 GiB limit: see `saveModel`). */
export function encodeModel(model: ModelProto): Uint8Array {
  const { model: type } = schema();
  return type.encode(type.fromObject(model as Record<string, unknown>)).finish();
}

/** Parses protobuf bytes into a plain `ModelProto` (external data is not read: see `loadModel`/`tensorData`). */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const { model: type } = schema();
  return narrowInt64(type.toObject(type.decode(bytes), TO_OBJECT)) as ModelProto;
}

export function encodeTensor(tensor: TensorProto): Uint8Array {
  const { tensor: type } = schema();
  return type.encode(type.fromObject(tensor as Record<string, unknown>)).finish();
}

export function decodeTensor(bytes: Uint8Array): TensorProto {
  const { tensor: type } = schema();
  return narrowInt64(type.toObject(type.decode(bytes), TO_OBJECT)) as TensorProto;
}

// ---------------------------------------------------------------- external data

/** Where an external tensor's bytes are: `location` relative to the model file's folder. */
export interface ExternalDataInfo {
  location: string;
  offset: number;
  /** Absent: to the end of the file. */
  length?: number;
  checksum?: string;
}

export function isExternal(tensor: TensorProto): boolean {
  return tensor.data_location === DataLocation.EXTERNAL;
}

export function externalDataInfo(tensor: TensorProto): ExternalDataInfo | undefined {
  if (!isExternal(tensor)) return undefined;
  const kv = new Map((tensor.external_data ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const location = kv.get('location');
  if (!location) throw new Error(`tensor ${tensor.name}: external data without a location`);
  const info: ExternalDataInfo = { location, offset: Number(kv.get('offset') ?? 0) };
  if (kv.has('length')) info.length = Number(kv.get('length'));
  if (kv.has('checksum')) info.checksum = kv.get('checksum');
  return info;
}

export function setExternalDataInfo(tensor: TensorProto, info: ExternalDataInfo): void {
  const entries: StringStringEntryProto[] = [
    { key: 'location', value: info.location },
    { key: 'offset', value: String(info.offset) },
  ];
  if (info.length !== undefined) entries.push({ key: 'length', value: String(info.length) });
  if (info.checksum !== undefined) entries.push({ key: 'checksum', value: info.checksum });
  tensor.external_data = entries;
  tensor.data_location = DataLocation.EXTERNAL;
  delete tensor.raw_data;
}

function safeLocation(baseDir: string, location: string): string {
  const rel = normalize(location);
  if (isAbsolute(rel) || rel.startsWith('..')) throw new Error(`external data location escapes the model folder: ${location}`);
  return join(baseDir, rel);
}

/**
 * A tensor's raw little-endian bytes: `raw_data`, or the slice of its external data file (`baseDir`: the model
 * file's folder). Tensors stored in the typed `*_data` fields have no raw bytes and throw.
 */
export function tensorData(tensor: TensorProto, baseDir?: string): Uint8Array {
  if (!isExternal(tensor)) {
    if (tensor.raw_data) return tensor.raw_data;
    throw new Error(`tensor ${tensor.name}: data is not in raw_data`);
  }
  if (baseDir === undefined) throw new Error(`tensor ${tensor.name}: external data needs the model's folder`);
  const info = externalDataInfo(tensor)!;
  const fd = openSync(safeLocation(baseDir, info.location), 'r');
  try {
    const length = info.length ?? fstatSync(fd).size - info.offset;
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, out, done, length - done, info.offset + done);
      if (n === 0) throw new Error(`tensor ${tensor.name}: external data file ${info.location} is too short`);
      done += n;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** Every tensor held by the graph: initializers, and those of subgraphs (node attributes), recursively. */
export function* graphInitializers(graph: GraphProto): Generator<TensorProto> {
  yield* graph.initializer ?? [];
  for (const node of graph.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (a.g) yield* graphInitializers(a.g);
      for (const g of a.graphs ?? []) yield* graphInitializers(g);
    }
  }
}

export interface LoadOptions {
  /** Read external data into `raw_data` (default false: tensors keep their external references). */
  loadExternalData?: boolean;
}

export function loadModel(path: string, opts: LoadOptions = {}): ModelProto {
  const model = decodeModel(readFileSync(path));
  if (opts.loadExternalData && model.graph) {
    const dir = dirname(path);
    for (const t of graphInitializers(model.graph)) {
      if (!isExternal(t)) continue;
      t.raw_data = tensorData(t, dir);
      delete t.external_data;
      delete t.data_location;
    }
  }
  return model;
}

export interface SaveOptions {
  /** Move tensors' `raw_data` to one external file beside the model (needed past protobuf's 2 GiB limit). */
  externalData?: {
    /** File name relative to the model file, e.g. `model.onnx_data`. */
    location: string;
    /** Tensors with fewer raw bytes stay inline (onnx's `convert_model_to_external_data` default: 1024). */
    sizeThreshold?: number;
    /** Offsets are multiples of this (default 4096, so the runtime can map tensors in place). */
    align?: number;
  };
}

export interface SavedFiles {
  model: string;
  externalData?: string;
}

/**
 * Writes a model; with `externalData`, tensors over the threshold are written in order to the data file and
 * referenced from the model (the caller's model is not modified). Deterministic: same model, same bytes.
 */
export function saveModel(path: string, model: ModelProto, opts: SaveOptions = {}): SavedFiles {
  mkdirSync(dirname(path), { recursive: true });
  const ext = opts.externalData;
  if (!ext || !model.graph) {
    writeFileSync(path, encodeModel(model));
    return { model: path };
  }
  const threshold = ext.sizeThreshold ?? 1024;
  const align = ext.align ?? 4096;
  const dataPath = safeLocation(dirname(path), ext.location);
  const fd = openSync(dataPath, 'w');
  let offset = 0;
  const zeros = new Uint8Array(align);
  const moveTensors = (graph: GraphProto): GraphProto => ({
    ...graph,
    initializer: (graph.initializer ?? []).map((t) => {
      const raw = t.raw_data;
      if (!raw || raw.length < threshold || isExternal(t)) return t;
      const pad = (align - (offset % align)) % align;
      if (pad) writeSync(fd, zeros, 0, pad);
      offset += pad;
      let done = 0;
      while (done < raw.length) done += writeSync(fd, raw, done, raw.length - done);
      const moved: TensorProto = { ...t };
      setExternalDataInfo(moved, { location: ext.location, offset, length: raw.length });
      offset += raw.length;
      return moved;
    }),
    node: (graph.node ?? []).map((n) =>
      n.attribute?.some((a) => a.g || a.graphs)
        ? {
            ...n,
            attribute: n.attribute.map((a) => ({
              ...a,
              ...(a.g ? { g: moveTensors(a.g) } : {}),
              ...(a.graphs ? { graphs: a.graphs.map(moveTensors) } : {}),
            })),
          }
        : n,
    ),
  });
  let graph: GraphProto;
  try {
    graph = moveTensors(model.graph);
  } finally {
    closeSync(fd);
  }
  writeFileSync(path, encodeModel({ ...model, graph }));
  return { model: path, externalData: dataPath };
}

// ---------------------------------------------------------------- builders (as onnx.helper has them)

type TypedArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** A tensor whose data is the typed array's bytes (`raw_data`). */
export function makeTensor(name: string, dataType: number, dims: readonly Int64[], data: TypedArray): TensorProto {
  const expected = dims.reduce<number>((a, d) => a * Number(d), 1);
  if (data.length !== expected) throw new Error(`tensor ${name}: ${data.length} values for dims [${dims.join(', ')}]`);
  return { name, data_type: dataType, dims: [...dims], raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export type AttributeValue = number | bigint | string | Uint8Array | TensorProto | GraphProto | number[] | bigint[] | string[];

/**
 * An attribute, typed the way onnx.helper.make_attribute types it: integers INT, other numbers FLOAT, strings STRING,
 * a tensor TENSOR (`{ tensor }`), a graph GRAPH (`{ graph }`). Lists of integers/floats/strings: INTS/FLOATS/STRINGS;
 * `{ floats: [...] }` forces FLOATS for a list of whole numbers.
 */
export function makeAttribute(
  name: string,
  value: AttributeValue | { tensor: TensorProto } | { graph: GraphProto } | { floats: number[] } | { ints: Int64[] },
): AttributeProto {
  const enc = (s: string) => new TextEncoder().encode(s);
  if (typeof value === 'bigint') return { name, type: AttributeType.INT, i: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { name, type: AttributeType.INT, i: value } : { name, type: AttributeType.FLOAT, f: value };
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: enc(value) };
  if (value instanceof Uint8Array) return { name, type: AttributeType.STRING, s: value };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return { name, type: AttributeType.STRINGS, strings: (value as string[]).map(enc) };
    if (value.every((v) => typeof v === 'bigint' || Number.isInteger(v))) return { name, type: AttributeType.INTS, ints: value as Int64[] };
    return { name, type: AttributeType.FLOATS, floats: value as number[] };
  }
  if ('tensor' in value) return { name, type: AttributeType.TENSOR, t: value.tensor };
  if ('graph' in value) return { name, type: AttributeType.GRAPH, g: value.graph };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: value.floats };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: value.ints };
  throw new Error(`attribute ${name}: unsupported value`);
}

/**
 * A node; attributes are sorted by name as onnx.helper.make_node sorts them, so graphs built either way encode alike.
 */
export function makeNode(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attrs: Record<string, Parameters<typeof makeAttribute>[1]> = {},
  domain?: string,
): NodeProto {
  const node: NodeProto = { input: inputs, output: outputs, name, op_type: opType };
  if (domain) node.domain = domain;
  const keys = Object.keys(attrs).sort();
  if (keys.length) node.attribute = keys.map((k) => makeAttribute(k, attrs[k]));
  return node;
}

/** A tensor value info; string dims are symbolic (`dim_param`), numbers fixed (`dim_value`). */
export function makeTensorValueInfo(name: string, elemType: number, shape: readonly (number | string)[]): ValueInfoProto {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

/** Attribute lookup by name. */
export function getAttribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}
