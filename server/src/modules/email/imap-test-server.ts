import net from 'node:net';

/**
 * A small IMAP4rev1 server for tests (no IMAP server can be installed with the project): enough of
 * RFC 3501 for imapflow to log in, EXAMINE a folder and UID FETCH message sources. It speaks
 * real IMAP over a loopback socket, so the poller's UID tracking is exercised end to end.
 */
export interface ImapTestServer {
  port: number;
  messages: Array<{ uid: number; source: Buffer }>;
  uidValidity: number;
  append(source: Buffer | string): number;
  commands: string[];
  close(): Promise<void>;
}

function matchesSet(set: string, value: number, max: number): boolean {
  return set.split(',').some((range) => {
    const [from, to] = range.split(':').map((part) => (part === '*' ? max : Number(part))) as [number, number | undefined];
    const [low, high] = to === undefined ? [from, from] : [Math.min(from, to), Math.max(from, to)];
    return value >= low && value <= high;
  });
}

export async function startImapTestServer(user: string, password: string): Promise<ImapTestServer> {
  const state: ImapTestServer = {
    port: 0,
    messages: [],
    uidValidity: 1,
    commands: [],
    append(source) {
      const uid = (state.messages.at(-1)?.uid ?? 0) + 1;
      state.messages.push({ uid, source: Buffer.from(source) });
      return uid;
    },
    close: async () => undefined,
  };
  const server = net.createServer((socket) => {
    let buffer = '';
    let authenticated = false;
    const send = (line: string | Buffer) => socket.write(line);
    send('* OK [CAPABILITY IMAP4rev1] test IMAP ready\r\n');
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let newline: number;
      while ((newline = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const [tag = '*', rawCommand = '', ...rest] = line.split(' ');
        let command = rawCommand.toUpperCase();
        let args = rest;
        const isUid = command === 'UID';
        if (isUid) [command, args] = [(rest[0] ?? '').toUpperCase(), rest.slice(1)];
        state.commands.push(`${isUid ? 'UID ' : ''}${command} ${args.join(' ')}`);
        const ok = (text = 'completed') => send(`${tag} OK ${text}\r\n`);
        switch (command) {
          case 'CAPABILITY':
            send('* CAPABILITY IMAP4rev1\r\n');
            ok();
            break;
          case 'LOGIN': {
            const [givenUser, givenPassword] = args.map((value) => value.replace(/^"|"$/g, ''));
            authenticated = givenUser === user && givenPassword === password;
            send(authenticated ? `${tag} OK [CAPABILITY IMAP4rev1] logged in\r\n` : `${tag} NO [AUTHENTICATIONFAILED] wrong credentials\r\n`);
            break;
          }
          case 'NAMESPACE':
            send('* NAMESPACE (("" "/")) NIL NIL\r\n');
            ok();
            break;
          case 'LIST':
            send('* LIST (\\HasNoChildren) "/" INBOX\r\n');
            ok();
            break;
          case 'SELECT':
          case 'EXAMINE':
            if (!authenticated) {
              send(`${tag} NO not logged in\r\n`);
              break;
            }
            send(`* ${state.messages.length} EXISTS\r\n* 0 RECENT\r\n* FLAGS (\\Seen)\r\n* OK [UIDVALIDITY ${state.uidValidity}] ok\r\n* OK [UIDNEXT ${(state.messages.at(-1)?.uid ?? 0) + 1}] ok\r\n`);
            ok(`[${command === 'EXAMINE' ? 'READ-ONLY' : 'READ-WRITE'}] ${command} completed`);
            break;
          case 'FETCH': {
            const set = args[0] ?? '';
            const maxUid = state.messages.at(-1)?.uid ?? 0;
            state.messages.forEach((message, index) => {
              const sequence = index + 1;
              if (!matchesSet(set, isUid ? message.uid : sequence, isUid ? maxUid : state.messages.length)) return;
              send(Buffer.concat([Buffer.from(`* ${sequence} FETCH (UID ${message.uid} BODY[] {${message.source.length}}\r\n`, 'latin1'), message.source, Buffer.from(')\r\n')]));
            });
            ok();
            break;
          }
          case 'LOGOUT':
            send('* BYE logging out\r\n');
            ok();
            socket.end();
            break;
          case 'NOOP':
          case 'CHECK':
          case 'CLOSE':
          case 'UNSELECT':
          case 'ID':
          case 'ENABLE':
            ok();
            break;
          default:
            send(`${tag} BAD unknown command\r\n`);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.address() as net.AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
