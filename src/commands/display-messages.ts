import type { DisplayRef } from './display-messages.tables';

export const MESSAGE_PRIORITIES = ['AlwaysFront', 'InFront', 'NormalCycle'] as const;
export const MESSAGE_STATES = ['Charging', 'Faulted', 'Idle', 'Unavailable'] as const;
export const MESSAGE_FORMATS = ['ASCII', 'HTML', 'URI', 'UTF8'] as const;
/** What a station answers to SetDisplayMessage (OCPP 2.0.1 DisplayMessageStatusEnumType). */
export const SET_MESSAGE_STATUSES = [
  'Accepted',
  'NotSupportedMessageFormat',
  'Rejected',
  'NotSupportedPriority',
  'NotSupportedState',
  'UnknownTransaction',
] as const;

/** A display message of a station, in the words of OCPP 2.0.1's MessageInfoType. */
export interface DisplayMessage {
  messageId: number;
  priority: string;
  state: string | null;
  startDateTime: Date | null;
  endDateTime: Date | null;
  transactionId: string | null;
  format: string;
  language: string | null;
  content: string;
  display: DisplayRef | null;
}

/** The MessageInfoType of SetDisplayMessage: only the fields given. */
export function toMessageInfo(m: DisplayMessage): object {
  return {
    id: m.messageId,
    priority: m.priority,
    ...(m.state !== null && { state: m.state }),
    ...(m.startDateTime !== null && { startDateTime: m.startDateTime.toISOString() }),
    ...(m.endDateTime !== null && { endDateTime: m.endDateTime.toISOString() }),
    ...(m.transactionId !== null && { transactionId: m.transactionId }),
    message: {
      format: m.format,
      ...(m.language !== null && { language: m.language }),
      content: m.content,
    },
    ...(m.display !== null && { display: m.display }),
  };
}
