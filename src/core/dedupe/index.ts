// Finding duplicate customers. Rules a user can read (the README lists them):
// - certain: the same phone, email or member number, and names that agree (the same name once
//   spaces, full-width and traditional characters are set aside, or the same pinyin); a Chinese
//   name one character off is certain only with the same birthday and a shared email or member
//   number (siblings share phones and generation characters);
// - likely: points for name, birthday, address, phones, email and city in the manner of Fellegi
//   and Sunter, turned into a score from 0 to 1, each with the reason shown.
// Candidate pairs come from blocking keys (a record shares a key with its likely duplicates), so the
// work grows with the number of customers, not with its square. Pure: the store feeds records in.
// Libraries: opencc-js (traditional -> simplified, the OpenCC dictionaries), pinyin-pro (pinyin of
// names, with surname readings), @skyra/jaro-winkler (string similarity), double-metaphone (how a
// Latin name sounds, for blocking names with typos).
//
//   record.ts    the record as compared, the survivor's facts, blocking keys
//   compare.ts   names, birthdays, addresses and emails compared, with reasons
//   score.ts     the score of a pair
//   clusters.ts  blocks scored, pairs grouped into clusters, members explained
export { blockingKeys, comparable, type MatchInput, matchRecord, type MatchRecord, survivorFacts } from './record.js';
export { addressSimilarity, compareNames, type Reason, type ReasonId } from './compare.js';
export { type PairScore, scorePair } from './score.js';
export { chooseSurvivor, type Cluster, clusterLinks, clusterPairs, explainMember, firstSharedKey, keyed, type KeyedRecord, type Link, scoreBlocks } from './clusters.js';
