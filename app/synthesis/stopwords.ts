/**
 * English stop words: function words that carry no topic. Written for this
 * project (pronouns, determiners, auxiliaries, prepositions, conjunctions,
 * common adverbs and their apostrophe-less contractions). Matched against the
 * lower-case surface word, before stemming.
 */
const WORDS = `
a about above across after afterwards again against all almost alone along already also although always am among
amongst an and another any anyhow anyone anything anyway anywhere are around as at
be became because become becomes becoming been before beforehand behind being below beside besides between beyond
both but by
can cannot could
did do does doing done down during
each eg either else elsewhere enough etc even ever every everyone everything everywhere except
few for former formerly from further furthermore
had has have having he hence her here hereafter hereby herein hers herself him himself his how however
i ie if in indeed instead into is it its itself
just
last latter latterly least less
many may me meanwhile might mine more moreover most mostly much must my myself
namely neither never nevertheless next no nobody none noone nor not nothing now nowhere
of off often on once one only onto or other others otherwise our ours ourselves out over own
per perhaps please
quite
rather re
same several she should since so some somehow someone something sometime sometimes somewhere still such
than that the their theirs them themselves then thence there thereafter thereby therefore therein thereupon these
they this those though through throughout thru thus to together too toward towards
under until up upon us
very via
was we well were what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
whether which while whither who whoever whole whom whose why will with within without would
yet you your yours yourself yourselves
dont doesnt didnt cant couldnt wont wouldnt shouldnt isnt arent wasnt werent hasnt havent hadnt
im ive id ill youre youve youd theyre theyve weve were hes shes thats theres whats lets
s t d ll m ve re
`;

export const STOP_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
