export { SentenceVectors, sentenceVectors, cosine } from './sentence-vectors.js';
