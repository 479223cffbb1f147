import type { IdTagVerdict } from '../../sessions/sessions.service';
import type { IdToken, IdTokenInfo } from './messages';

/**
 * Kilowatt's idTags are plain strings, whatever medium carries them: every IdToken type is judged
 * by its `idToken` value within the station's tenant (an RFID UID, a key code, an eMAID or the
 * Central token Kilowatt sent in RequestStartTransaction alike). `NoAuthorization` carries an empty
 * value, which is no idTag of Kilowatt's.
 */
export const idTagOf = (token: IdToken | undefined): string => token?.idToken ?? '';

/**
 * Our verdict in 2.0.1 words: the expiry is how long the charger may cache the token
 * (cacheExpiryDateTime), the parent idTag its group (groupIdToken, issued by the CSMS).
 */
export const toIdTokenInfo = (v: IdTagVerdict): IdTokenInfo => ({
  status: v.status,
  ...(v.expiryDate ? { cacheExpiryDateTime: v.expiryDate.toISOString() } : {}),
  ...(v.parentIdTag ? { groupIdToken: { idToken: v.parentIdTag, type: 'Central' } } : {}),
});
