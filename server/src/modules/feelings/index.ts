export { registerFeelings } from './feelings.routes.js';
export { orderTicketsByAgitation } from './feelings.repo.js';
export { scoreFeelings, isPraise, type Feelings } from './feelings.score.js';
export { agitationSpikeThreshold, agitationSpikeJump } from './feelings.service.js';
