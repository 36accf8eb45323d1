/** Word lists for the demo generator: a small online shop's support desk. */
export const firstNames = ['Ava', 'Liam', 'Maya', 'Noah', 'Zoe', 'Ethan', 'Chloe', 'Lucas', 'Amara', 'Mateo', 'Priya', 'Jonas', 'Sofia', 'Kenji', 'Fatima', 'Oliver', 'Ines', 'Tariq', 'Hannah', 'Diego', 'Yuki', 'Leila', 'Samuel', 'Nora', 'Ravi', 'Elena', 'Kwame', 'Mia', 'Hugo', 'Aisha'];
export const lastNames = ['Smith', 'Okafor', 'Garcia', 'Chen', 'Müller', 'Rossi', 'Kowalski', 'Haddad', 'Nakamura', 'Johansson', 'Silva', 'Patel', 'Dubois', "O'Brien", 'Novak', 'Kim', 'Mensah', 'Lopez', 'Ivanova', 'Ahmed'];
export const companies = ['Northwind Traders', 'Blue Fern Studio', 'Harbor & Pine', 'Quill Labs', 'Sunday Bakery', 'Atlas Logistics', 'Moss Cafe', 'Kite Robotics'];
export const staffNames = ['Jordan Reyes', 'Sam Patel', 'Alex Kim', 'Morgan Lee', 'Riley Novak', 'Casey Mensah', 'Taylor Dubois'];
export const teamNames = ['Support', 'Billing', 'Returns'];
export const tags = ['shipping', 'refund', 'billing', 'bug', 'account', 'feedback', 'returns', 'vip', 'checkout', 'delivery-delay'];

/** Each scenario: subject, the customer's opening, an agent's reply, and sometimes the customer's answer. */
export const scenarios: Array<{ subject: string; opening: string; reply: string; answer?: string; tags: string[] }> = [
  {
    subject: 'Where is my order?',
    opening: 'Hi, I ordered a kettle ten days ago and the tracking has not moved since Tuesday. Can you check what is going on?',
    reply: 'Thank you for your patience, and sorry for the worry. I checked with the carrier: your parcel was held at the depot. I have asked them to send it today and you will have it by Friday.',
    answer: 'Great, thanks for sorting that out so quickly!',
    tags: ['shipping', 'delivery-delay'],
  },
  {
    subject: 'Charged twice for one order',
    opening: 'I was charged twice for order 4471. This is the second time this happens. Please fix it.',
    reply: 'I am sorry, being charged twice is frustrating. I have refunded the duplicate charge just now; it will show on your statement within 3 days.',
    answer: 'Thank you, I can see the refund pending.',
    tags: ['billing', 'refund'],
  },
  {
    subject: 'Checkout times out',
    opening: 'The checkout page times out every time I try to pay with my card. I have tried three times!!',
    reply: 'I understand how annoying that is. Our team found a fault at checkout this morning and fixed it; could you try once more? I have also added a 10% discount to your basket for the trouble.',
    tags: ['checkout', 'bug'],
  },
  {
    subject: 'Return a damaged item',
    opening: 'The lamp arrived with a cracked base. How do I send it back?',
    reply: 'I am sorry it arrived damaged. No need to send it back: I have shipped a replacement today, and you can recycle the broken one.',
    answer: 'Wow, that is fantastic service. Thank you!',
    tags: ['returns'],
  },
  {
    subject: 'Cannot log in to my account',
    opening: 'I reset my password but the login page still says my password is wrong.',
    reply: 'Thanks for letting us know. I have cleared the lock on your account; the new password works now. Let me know if anything else gets in your way.',
    tags: ['account'],
  },
  {
    subject: 'Love the new collection',
    opening: 'Just wanted to say the autumn collection is beautiful and your delivery was super fast. Keep it up!',
    reply: 'That made our day, thank you for taking the time to write! I have passed it on to the design team.',
    tags: ['feedback'],
  },
  {
    subject: 'Invoice needs our VAT number',
    opening: 'Could you reissue invoice 2231 with our company VAT number on it? Our accountant needs it this week.',
    reply: 'Of course. I have reissued the invoice with your VAT number and attached it here.',
    tags: ['billing'],
  },
  {
    subject: 'Order arrived late and incomplete',
    opening: 'This is ridiculous. The order came a week late and two items are missing. I want a refund NOW.',
    reply: 'I am really sorry; you should not have had to chase us. I have refunded the two missing items and upgraded your next delivery for free. I will check in with you on Monday.',
    answer: 'OK. Thanks for owning it.',
    tags: ['shipping', 'refund', 'delivery-delay'],
  },
];

/**
 * The same requests as customers really write them: the replayed desk picks a tone per ticket, and
 * the feelings module scores whatever text it gets (angry and sarcastic customers float up the inbox).
 */
export const tones: Record<string, { angry: string; sarcastic: string }> = {
  'Where is my order?': {
    angry: 'This is the THIRD time I am writing. My kettle is ten days late, tracking has not moved and nobody answers. Unacceptable. Where is my order?!',
    sarcastic: 'Great job, really. The tracking page has said "in transit" for a week now, so I assume my kettle is taking the scenic route. Any chance it arrives this year?',
  },
  'Charged twice for one order': {
    angry: 'You charged me TWICE for order 4471. Again! I am sick of this. Refund me today or I am calling my bank and leaving a review everywhere.',
    sarcastic: 'Wow, thanks for charging me twice for the same order. I guess one payment was not enough? Please give me my money back.',
  },
  'Checkout times out': {
    angry: 'Your checkout page times out EVERY time I pay. I have wasted an hour on this. Absolutely ridiculous for a shop.',
    sarcastic: 'Lovely checkout you have. The checkout page times out every single time, so I suppose you do not want my money? Let me know when it works.',
  },
  'Return a damaged item': {
    angry: 'The lamp arrived SMASHED. Terrible packaging. I am furious and I want this sorted now, not in two weeks.',
    sarcastic: 'The lamp arrived in several more pieces than advertised. Very creative packaging. How do I send it back?',
  },
  'Cannot log in to my account': {
    angry: 'I have reset my password three times and I STILL cannot log in. This is useless. Fix it.',
    sarcastic: 'Apparently my new password is wrong the moment I set it. Impressive security. Can someone let me in?',
  },
  'Love the new collection': {
    angry: 'Loved the collection, but honestly the delivery was a disaster and nobody told me anything. Very disappointed.',
    sarcastic: 'Beautiful collection. Shame I had to wait three weeks to see it, but who is counting.',
  },
  'Invoice needs our VAT number': {
    angry: 'I asked for this invoice with our VAT number a week ago. Our accountant is waiting. This is not acceptable.',
    sarcastic: 'Still waiting on that invoice with our VAT number. No rush, our accountant just loves waiting.',
  },
  'Order arrived late and incomplete': {
    angry: 'This is ridiculous. The order came a week late and two items are missing. I want a refund NOW. Worst service ever.',
    sarcastic: 'Thank you so much for the surprise: a week late and two items missing. Brilliant. Now what?',
  },
};

/** A customer's next question on a ticket still being worked. */
export const followUpQuestions = ['Thanks. Could you tell me when exactly it will arrive? I need it for Saturday.', 'OK, but the tracking link you sent does not open. Can you check?', 'Thank you. Will I get an email when the refund goes through?', 'Do I need to print a label for the old one, or will the courier bring it?'];

/** The agent's last word when the customer confirms the fix. */
export const closingReplies = ['Glad that is sorted! I will mark this as solved; just reply if anything else comes up.', 'Thank you for letting me know. Enjoy it, and write any time.', 'Wonderful, happy to help. I am closing this one, but I am here if you need anything.'];

/** What a customer writes when a "solved" ticket was not solved: it reopens the ticket (a moment of misery). */
export const reopenTexts = ['Sorry, this is still not working. I tried again this morning and it fails the same way.', 'It came back: the same problem again today. Please have another look.'];

/** Survey comments by score band; the checkout one feeds the recurring theme. */
export const surveyComments = {
  delighted: ['Fast, friendly and sorted on the first reply. Thank you!', 'I felt really looked after.', 'Wonderful service, you went above and beyond.', 'Quick refund and a kind note. Very happy.', 'Brilliant, the replacement came the next day.', 'So kind and patient with me.', 'Sorted in minutes, lovely people.'],
  fine: ['Fine, it got sorted in the end.', 'OK, took a while but it works now.', 'Good enough.', 'Answer was clear.', 'All fine now.'],
  unhappy: ['Too slow, I had to chase twice.', 'Nobody told me what was happening for days.', 'The answer did not solve my problem.', 'Felt like a script, not a person.', 'Three emails for a simple question.'],
  checkout: ['The checkout page times out when I pay by card, took me four tries.', 'Support was kind but the checkout page times out again and again.'],
  nps: ['I recommend you to friends for the fast delivery.', 'Great products, but the website could be quicker.', 'Prices are fair and the team is lovely.', 'Delivery has been slow lately.', 'Beautiful lamps.', 'My go-to shop for gifts.', 'Returns are painless.', 'A bit pricey.'],
};

export const reviews: Array<{ source: string; author: string; rating: number; text: string }> = [
  { source: 'Trustpilot', author: 'Helen B.', rating: 5, text: 'Lamp arrived broken and they shipped a new one the same day without any fuss. Great service.' },
  { source: 'Google', author: 'Marco P.', rating: 4, text: 'Lovely kettle, delivery a day later than promised but support kept me informed.' },
  { source: 'Trustpilot', author: 'Aiko N.', rating: 2, text: 'Waited a week for an answer about a missing item. Products are nice, service was slow.' },
  { source: 'Google', author: 'Samir K.', rating: 5, text: 'Charged twice by mistake, refunded within the hour with an apology. Rare these days!' },
  { source: 'Trustpilot', author: 'Grace O.', rating: 4, text: 'Beautiful autumn collection and quick delivery.' },
  { source: 'Google', author: 'Tom W.', rating: 1, text: 'The checkout page times out every time I pay. Gave up and bought elsewhere.' },
  { source: 'Trustpilot', author: 'Lena V.', rating: 5, text: 'Friendly team, they remembered my last order and sorted everything in one email.' },
  { source: 'Google', author: 'Paul D.', rating: 3, text: 'Good products, average delivery times.' },
  { source: 'Trustpilot', author: 'Nadia R.', rating: 2, text: 'Checkout page times out on my phone, and the first reply took two days.' },
  { source: 'Google', author: 'Chris L.', rating: 5, text: 'Best customer service I have had from an online shop.' },
];

export const staffVoiceNotes: Array<{ body: string; anonymous: boolean; response?: string; status?: 'acknowledged' | 'in_progress' | 'resolved' }> = [
  { body: 'The returns label printer jams every afternoon and customers wait while we fight it. Could we get a new one?', anonymous: false, response: 'Ordered a new printer, arriving Thursday. Thanks for flagging it.', status: 'resolved' },
  { body: 'We promise delivery dates the carrier cannot keep. I feel like I am lying to customers every Friday.', anonymous: true, response: 'Thank you for saying it. We are moving Friday collections to the second carrier; see the problem list.', status: 'in_progress' },
  { body: 'Customers keep telling us the checkout page times out, and we have no way to see it ourselves.', anonymous: false },
];

/**
 * The few customers the pest list should find: little value, frequent contact, a remedy asked for
 * every time, and (the second) abuse aimed at the staff. Everyone else buys more than they cost.
 */
export const pestRequests: Array<Array<{ subject: string; opening: string; reply: string; tags: string[]; remedy?: number }>> = [
  [
    { subject: 'Parcel late again', opening: 'My parcel is late AGAIN. Second time this month. I want the delivery fee back and a voucher for the trouble.', reply: 'Sorry it is running late: the carrier shows it out for delivery today. I have refunded the delivery fee.', tags: ['shipping', 'delivery-delay'], remedy: 8 },
    { subject: 'Refund the shipping', opening: 'You charged me shipping again although I told you last time to waive it for me. Refund it.', reply: 'Shipping is charged on orders under 40. I have refunded it this once as a gesture.', tags: ['billing', 'refund'], remedy: 8 },
    { subject: 'Cushion cover faded', opening: 'The cushion cover faded after one wash. I want a full refund, and you can keep the cover.', reply: 'Thank you for the photo. The care label asks for a cold wash, but I have refunded half as a goodwill gesture.', tags: ['returns', 'refund'], remedy: 18 },
    { subject: 'Where is my voucher?', opening: 'Someone promised me a voucher last time. Where is it? I am still waiting.', reply: 'I checked your account: the voucher was used on your last order. Here is the receipt that shows it.', tags: ['billing'] },
    { subject: 'Discount code did not work', opening: 'Your discount code did not work at checkout so I paid full price. Refund the difference now.', reply: 'The code expired the day before your order, but I have refunded the difference this time.', tags: ['checkout', 'refund'], remedy: 12 },
    { subject: 'Box was dented', opening: 'The box was dented when it arrived. The mug inside is fine but I expect compensation.', reply: 'I am glad the mug is fine. I have passed the photo to the carrier; there is nothing to refund this time.', tags: ['shipping'] },
    { subject: 'Late again, refund please', opening: 'Late again. Refund my shipping like last time.', reply: 'It was delivered yesterday at 14:02, within the promised window, so the shipping stands this time.', tags: ['shipping'] },
  ],
  [
    { subject: 'Courier left it in the rain', opening: 'Your courier is incompetent. The box sat in the rain for hours. Useless service. Refund my shipping.', reply: 'I am sorry the box got wet. I have refunded the shipping and told the carrier.', tags: ['shipping', 'delivery-delay'], remedy: 7 },
    { subject: 'No gift wrap', opening: 'Are you all idiots? I paid for gift wrap and got a plain box. Pathetic.', reply: 'I am sorry the gift wrap was missed. I have refunded it.', tags: ['returns', 'refund'], remedy: 4 },
    { subject: 'Wrong colour lamp shade', opening: 'Wrong colour shade again. Your website photos are useless and so is your team.', reply: 'I understand the frustration. A replacement in the colour you ordered ships today; no need to send the other back.', tags: ['returns'], remedy: 14 },
    { subject: 'Still waiting for a reply', opening: 'Still no reply to my last email. Do you even read these?', reply: 'Sorry for the wait: we answered on Tuesday, here is that reply again.', tags: ['feedback'] },
    { subject: 'Cancel my order', opening: 'Cancel my order. I will not wait another week for your stupid courier.', reply: 'Your order is cancelled and the payment released.', tags: ['shipping'] },
    { subject: 'Want a discount', opening: 'Give me 20% off my next order for all the trouble, like you did for my neighbour.', reply: 'We cannot offer that, I am afraid; our discounts are the same for everyone.', tags: ['billing'] },
  ],
];
