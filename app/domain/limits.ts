/** Length limits shared by forms, validation and the database layer. */
export const LIMITS = {
  ideaTitle: 120,
  ideaBody: 2000,
  comment: 2000,
  jamTitle: 120,
  jamDescription: 4000,
  challengeTitle: 120,
  challengeQuestion: 500,
  personName: 80,
  password: { min: 10, max: 200 },
  maxChallenges: 12,
  pageSize: 20,
} as const;
