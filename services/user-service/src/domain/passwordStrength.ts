import { validationFailed } from '@shop/shared';

type Zxcvbn = (
  password: string,
  userInputs: string[],
) => { score: number; feedback: { warning: string | null } };

/** zxcvbn scores 0-4; 3 is "safely unguessable" for online attacks (about 10^8 guesses and up). */
const MIN_SCORE = 3;

let loading: Promise<Zxcvbn> | undefined;

/** The dictionaries are large (a few MB): loaded on the first check, once per process. */
function loadZxcvbn(): Promise<Zxcvbn> {
  loading ??= (async () => {
    const [{ zxcvbn, zxcvbnOptions }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    zxcvbnOptions.setOptions({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
    return zxcvbn as Zxcvbn;
  })();
  return loading;
}

/**
 * Refuses a guessable password with a 400 naming `field`: common passwords, keyboard walks,
 * repeats, and anything built from the account's own username or email (`userInputs`).
 */
export async function ensureStrongPassword(
  password: string,
  userInputs: string[],
  field: string,
): Promise<void> {
  const zxcvbn = await loadZxcvbn();
  const inputs = userInputs
    .flatMap((input) => [input, ...input.split(/[@.+_-]/)])
    .filter((s) => s.length >= 3);
  const result = zxcvbn(password, inputs);
  if (result.score >= MIN_SCORE) return;
  const why = result.feedback.warning ? `: ${result.feedback.warning.replace(/\.$/, '').toLowerCase()}` : '';
  throw validationFailed([{ in: 'body', field, message: `is too easy to guess${why}` }]);
}
