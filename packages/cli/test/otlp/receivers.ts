import { startOtlpGrpcReceiver, startOtlpHttpReceiver } from '../../../../test-support/otlp-receiver.js';
import type { OtlpReceiver, ReceiverOptions } from '../../../../test-support/otlp-receiver.js';
import type { OtlpProtocol } from '../../src/export/otlp/endpoint.js';

/** The test receiver that speaks each protocol (one HTTP receiver takes protobuf and JSON). */
export const RECEIVERS: Record<OtlpProtocol, (opts?: ReceiverOptions) => Promise<OtlpReceiver>> = {
  'http/protobuf': startOtlpHttpReceiver,
  'http/json': startOtlpHttpReceiver,
  grpc: startOtlpGrpcReceiver,
};
