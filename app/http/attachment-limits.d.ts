export interface AttachmentLimits {
  fileBytes: number;
  filesPerIdea: number;
  dailyBytes: number;
  pixels: number;
}
export function attachmentLimits(env?: Record<string, string | undefined>): AttachmentLimits;
export function attachmentBodyLimit(env?: Record<string, string | undefined>): number;
