import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineCommand } from '../registry/message-definition.js';

export class CancelExpectedReturn {
  @IsUUID()
  returnId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export const CancelExpectedReturnV1 = defineCommand({
  type: 'warehouse.cancel-expected-return',
  version: 1,
  owner: 'warehouse',
  summary:
    "A return was cancelled before its goods arrived: the warehouse stops expecting them (also when the expect-return command has not arrived yet: it will open nothing). Refused with RETURN_ALREADY_RECEIVED once received. Idempotent.",
  payload: CancelExpectedReturn,
});
