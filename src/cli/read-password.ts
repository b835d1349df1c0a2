import type { CliIo } from './cli-io.ts';

/** The first line of stdin, or on a terminal a password typed twice without echo. */
export async function readPassword(io: CliIo): Promise<string> {
  const stdin = io.stdin as NodeJS.ReadStream;
  if (!stdin.isTTY) {
    const line = await readLine(stdin);
    if (line === undefined) throw new Error('no password on stdin');
    return line;
  }
  const first = await promptHidden(stdin, io, 'Password: ');
  if (first !== (await promptHidden(stdin, io, 'Repeat password: '))) throw new Error('the passwords do not match');
  return first;
}

function readLine(stdin: NodeJS.ReadStream): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (value: string | undefined): void => {
      stdin.off('data', onData).off('end', onEnd).off('error', reject);
      stdin.pause();
      resolve(value?.replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) finish(text.slice(0, end));
    };
    const onEnd = (): void => finish(text === '' ? undefined : text);
    stdin.on('data', onData).on('end', onEnd).on('error', reject);
  });
}

function promptHidden(stdin: NodeJS.ReadStream, io: CliIo, prompt: string): Promise<string> {
  stdin.setRawMode(true); // before the prompt, so nothing typed after it is echoed
  stdin.setEncoding('utf8');
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
