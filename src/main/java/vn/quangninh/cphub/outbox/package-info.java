/**
 * The partners' delivery lanes ({@code cphub.deliver.<partner>} and its {@code .urgent} emergency lane) and the
 * outbox through which the hub's own messages (status updates, clock escalations, camera alerts) join them.
 * Below delivery, clocks and the referral book, which all send through it.
 */
package vn.quangninh.cphub.outbox;
