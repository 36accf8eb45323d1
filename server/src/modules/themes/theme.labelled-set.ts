/**
 * A labelled evaluation set for theme grouping: 26 themes, 12 wordings each, written the way
 * customers and staff write (typos aside). Wordings of one theme vary in word order, inflection,
 * hyphenation, compounds and filler, which the lexical grouping is meant to absorb; a few are true
 * paraphrases with no content word in common, which it is not expected to catch (that caps recall).
 */
export const labelledFeedback: Record<string, string[]> = {
  checkout_timeout: [
    'The checkout times out.', 'Timeout at checkout again', 'Check-out page timing out when I pay', 'Checkout timed out twice before the payment went through',
    'Your checkout keeps timing out', 'checkout timeout on mobile', 'I got a timeout on the checkout page', 'The check out timed out and I lost my basket',
    'Checkout always times out for me', 'timeout during checkout, very annoying', 'Tried three times, checkout timing out each time', 'The checkout page hangs then times out',
  ],
  late_delivery: [
    'My delivery was late.', 'The delivery arrived two days late', 'Late delivery again this month', 'Delivery is always late',
    'Why is my delivery so late?', 'Your deliveries are late every single time', 'The delivery came late and the food was cold', 'Delivery late by a week',
    'Another late delivery, not impressed', 'Delivery was very late', 'The promised delivery date passed, the delivery is late', 'Second late delivery in a row',
  ],
  rude_driver: [
    'The driver was rude.', 'Your delivery driver was really rude to me', 'Rude driver threw the parcel over the fence', 'The courier driver was rude and impatient',
    'Driver was incredibly rude', 'I was shocked how rude the driver was', 'A rude driver shouted at my mother', 'The driver was rude and left without a signature',
    'Rude delivery driver again', 'Driver rude on the phone', 'Your driver is rude to customers', 'That driver was so rude',
  ],
  slow_refund: [
    'My refund took too long.', 'Still waiting for my refund after three weeks', 'The refund is taking forever', 'Refund took ages to arrive',
    'Why does a refund take so long?', 'Slow refund, very disappointing', 'Waiting on the refund for a month now', 'I am still waiting for the refund you promised',
    'The refund process is slow', 'Refund has not arrived yet', 'My refund still has not come through', 'Refunds take far too long',
  ],
  login_failure: [
    'I cannot log in.', 'Login fails every morning', 'The log-in page rejects my password', 'Unable to login to my account',
    'Login is broken again', 'I could not log in to the app', 'Log in keeps failing', 'Login failed with an error',
    'Can not log into my account since the update', 'The login does not work', 'Login error on the website', 'Logging in fails on my phone',
  ],
  app_crash: [
    'The app crashes on start.', 'Your app keeps crashing', 'App crashed when I opened the camera', 'The app crashes every time I open it',
    'Crashing app after the update', 'App crash on Android', 'The iPhone app crashes constantly', 'App crashes when I scroll the menu',
    'The app crashed twice today', 'Constant app crashes', 'The mobile app crashes at launch', 'App keeps crashing on my tablet',
  ],
  password_reset_email: [
    'The password reset email never came.', 'I never received the password reset email', 'Password reset email did not arrive', 'No password reset email in my inbox',
    'The reset password email is missing', 'Password reset emails are not being sent', 'Still no email to reset my password', 'Password reset email went nowhere',
    'The password reset email never arrives', 'I requested a password reset but got no email', 'Where is the password reset email?', 'Password reset email not received',
  ],
  wrong_invoice: [
    'The invoice was wrong.', 'My invoice shows the wrong amount', 'Wrong VAT on the invoice', 'The invoice has the wrong address',
    'Invoice is incorrect again', 'You sent me a wrong invoice', 'The invoice total is wrong', 'Incorrect invoice for my order',
    'Invoice amount wrong', 'The invoice lists the wrong company name', 'Invoice wrong for the third time', 'Please fix the wrong invoice',
  ],
  double_charge: [
    'I was charged twice.', 'You charged my card twice for one order', 'Double charge on my credit card', 'Charged twice for the same order',
    'My card was charged two times', 'I see a double charge on my statement', 'Got charged twice for one subscription', 'The payment was charged twice',
    'Double charged again', 'Why was I charged twice?', 'Charged twice, please refund one', 'Card charged twice for a single purchase',
  ],
  damaged_box: [
    'The box was damaged.', 'My parcel arrived with a damaged box', 'Damaged box and a dented kettle', 'The box came crushed and damaged',
    'Box damaged in transit', 'The outer box was badly damaged', 'Item arrived in a damaged box', 'Damaged box, torn tape',
    'The box was damaged and wet', 'The shipping box was damaged', 'Box arrived damaged again', 'Received a damaged box',
  ],
  missing_item: [
    'An item was missing from my order.', 'Missing item in the parcel', 'My order arrived with an item missing', 'One item missing from the order',
    'The order is missing an item', 'Item missing again', 'Two items were missing from my order', 'There is a missing item in my delivery',
    'Missing items in my last order', 'An item from my order never came, it is missing', 'Order incomplete, item missing', 'You forgot an item, it was missing from the box',
  ],
  no_email_reply: [
    'Support never answered my email.', 'Nobody answered my email', 'I emailed support twice and got no answer', 'My email to support was never answered',
    'No answer to my emails', 'Support does not answer emails', 'Still no answer to my email from last week', 'Emailed you three times, no answer',
    'Why is nobody answering my email?', 'My support email went unanswered', 'No one answers email at your support', 'Support never answers email',
  ],
  friendly_chat_agent: [
    'The chat agent was lovely.', 'Lovely chat agent, very patient', 'Your chat agent was friendly and quick', 'The agent on chat was so friendly',
    'Friendly chat agent solved it', 'Chat agent was lovely and helpful', 'The live chat agent was friendly', 'Such a friendly agent on the chat',
    'Chat agent friendly and kind', 'The chat agent Maria was lovely', 'Lovely agent in the chat today', 'Very friendly chat agent',
  ],
  size_chart: [
    'The size chart is misleading.', 'Your size chart is wrong', 'Size chart does not match the clothes', 'The size chart says M but it fits like S',
    'Misleading size chart', 'Size chart is inaccurate', 'The sizing chart is wrong', 'Size chart off by one size',
    'Fix the size chart please', 'The size chart is confusing', 'Size chart useless, had to return', 'Ordered by the size chart and it was wrong',
  ],
  discount_code: [
    'The discount code does not work.', 'Discount code rejected at payment', 'My discount code is not working', 'The discount code says invalid',
    'Discount code failed', 'Your discount code does not apply', 'Discount code error', 'The discount code from the newsletter does not work',
    'Discount code not accepted', 'Discount code broken', 'The discount code expired already?', 'Discount code will not apply to my basket',
  ],
  invalid_tracking: [
    'The tracking number is invalid.', 'Tracking number not found', 'Invalid tracking number on the courier site', 'My tracking number does not work',
    'The tracking number shows nothing', 'Tracking number invalid', 'Your tracking number is wrong', 'Tracking number not recognised',
    'The tracking number gives an error', 'Tracking number never updates', 'Tracking number useless', 'Wrong tracking number in the email',
  ],
  product_broke: [
    'The product broke after a week.', 'Product broke after two weeks', 'My product broke within a month', 'The product broke on first use',
    'Product broken after a week of use', 'It broke after a week, poor product', 'The product broke already', 'Cheap product, broke quickly',
    'Product broke after a few days', 'My new product broke', 'The product just broke', 'Product broke in half after one week',
  ],
  slow_website: [
    'The website is very slow.', 'Your website is slow', 'Slow website on mobile', 'The website loads so slowly',
    'Website slow again today', 'The web site is really slow', 'Website painfully slow', 'Very slow website',
    'The website is slow at night', 'Website is slow to load pages', 'Slow website makes shopping hard', 'Website slow as always',
  ],
  returns_label: [
    'The returns label would not print.', 'Cannot print the returns label', 'Returns label fails to print', 'The return label will not print',
    'Returns label not printing', 'Printing the returns label fails', 'The returns label is blank when I print it', 'Returns label print error',
    'Return label will not print on my printer', 'Returns label printing broken', 'The returns label never prints', 'No way to print the returns label',
  ],
  long_hold: [
    'I was on hold for an hour.', 'Hold time on the phone is too long', 'Waited on hold for 45 minutes', 'The phone hold is ridiculous',
    'Long hold times on your phone line', 'On hold forever', 'Kept on hold for an hour again', 'Your hold music for an hour',
    'Phone hold time far too long', 'I spent ages on hold', 'Hold for 40 minutes then cut off', 'Terrible hold times',
  ],
  cold_food: [
    'The food arrived cold.', 'Cold food again', 'My food was cold on arrival', 'The pizza was cold',
    'Food cold when it came', 'Received cold food', 'The food is always cold', 'Cold food and soggy chips',
    'Why is the food cold?', 'Food arrived stone cold', 'The food came cold', 'Cold food for the second time',
  ],
  subscription_cancel: [
    'I cannot cancel my subscription.', 'Cancel subscription button does not work', 'How do I cancel the subscription?', 'The subscription will not cancel',
    'Unable to cancel subscription', 'Cancelling my subscription is impossible', 'Subscription cancel fails', 'Tried to cancel subscription, still billed',
    'Cancel my subscription please, the page fails', 'Subscription cancellation does not work', 'Cannot cancel the subscription online', 'Subscription cancel error',
  ],
  wrong_colour: [
    'I received the wrong colour.', 'Wrong colour sent', 'The colour is wrong, I ordered blue', 'You sent the wrong colour again',
    'Wrong colour jacket arrived', 'The colour was wrong', 'Colour wrong on my order', 'Got the wrong colour shoes',
    'Wrong colour, ordered black got red', 'The wrong colour was delivered', 'Colour sent was wrong', 'Another wrong colour',
  ],
  battery_life: [
    'The battery dies quickly.', 'Battery life is poor', 'Battery drains in an hour', 'The battery does not last',
    'Short battery life', 'Battery dies after two hours', 'Poor battery life on the speaker', 'The battery drains overnight',
    'Battery life is terrible', 'Battery barely lasts a day', 'Weak battery', 'Battery dies too fast',
  ],
  staff_lunch: [
    'We never get a lunch break.', 'Staff skip lunch because of the rota', 'No lunch break on busy days', 'The rota leaves no time for lunch',
    'Lunch break always cancelled', 'We work through lunch every day', 'No proper lunch break for the team', 'Lunch break skipped again',
    'Nobody on the team gets lunch', 'Lunch gets cut for the team every Saturday', 'I had no lunch break this week', 'Can we have a real lunch break?',
  ],
  broken_printer: [
    'The office printer is broken.', 'Printer broken again', 'The printer in the back office does not work', 'Printer jammed and broken',
    'Broken printer for a week now', 'Please fix the printer', 'The printer keeps breaking', 'Printer out of order',
    'Printer is broken so we cannot print labels', 'The broken printer slows us down', 'Printer broke this morning', 'Printer still broken',
  ],
};
