import { z } from 'zod';

/** Ids are UUIDs everywhere: nothing to enumerate, and the same shape in every store. */
export const Id = z.uuid({ message: 'must be a UUID' });
export const IdParams = z.strictObject({ id: Id });
export const Timestamp = z.iso.datetime();
