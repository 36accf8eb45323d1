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
