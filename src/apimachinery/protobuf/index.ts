/** Kubernetes protobuf request bodies, decoded into the JSON objects the server works with. */
export {
  KubeProtobufDecoder,
  PROTOBUF_MAGIC,
  PROTOBUF_MEDIA_TYPE,
  ProtobufDecodeError,
  formatTime,
  goDuration,
  type GroupVersionKind,
  type ProtobufDecodeReason,
} from './decoder.js';
export { decodeKubeProtobuf, defaultDecoder, findSchemaFile, loadSchemaFile, schemaProblem, setDefaultDecoder, SCHEMA_RELATIVE_PATH } from './load.js';
export {
  META_KINDS,
  SCHEMA_VERSION,
  SPECIAL_MESSAGES,
  buildSchemaMessages,
  messageNameFor,
  protoPackage,
  type ProtobufSchema,
  type SchemaField,
  type SchemaMessage,
  type SpecialKind,
} from './schema.js';
