/** The reward program's numbers that pages need too (field limits); its input shapes are in reward-input.server.ts. */
export const REWARD_TEXT_MAX = 500;
