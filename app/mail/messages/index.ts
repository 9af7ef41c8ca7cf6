/** Every jam e-mail, as pure functions from facts to subject, plain text and HTML. */
export type { ComposedMail } from "./layout";
export type { Audience, MailContext } from "./context";
export { invitationMail, type InvitationFacts } from "./invitation";
export { openingMail, type OpeningFacts } from "./opening";
export { pulseHasNews, pulseMail, type PulseFacts, type RepliesToYou, type RisingIdea } from "./pulse";
export { reminderMail, type ReminderFacts } from "./reminder";
export { resultsMail, type ResultsFacts } from "./results";
export { actionStatusMail, type ActionStatusFacts } from "./action-status";
export { privateNewsMail } from "./private-news";
export { ideaStageMail, reviewReminderMail, type IdeaStageFacts, type ReviewReminderFacts } from "./evaluation";
export { questionAskedMail, type QuestionAskedFacts } from "./question";
export { communityDigestMail, type CommunityDigestFacts } from "./community-digest";
