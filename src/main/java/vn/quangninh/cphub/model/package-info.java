/**
 * The referral's vocabulary, shared by routing, triage, delivery, the clocks and the referral book: a referral,
 * its status, the legal basis of a disclosure and the field groups a recipient may be shown. It depends on no
 * other package of the hub ({@code ArchitectureTest}), so each of those may use it without a cycle.
 */
package vn.quangninh.cphub.model;
