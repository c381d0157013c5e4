/**
 * Internal: the building blocks the faces share — connecting ({@code Connector}), the two halves of a waiting
 * connection ({@code SendHalf}, {@code RecvHalf}), a waiting client's link ({@code ClientLink}), the one
 * implementation behind the nonblocking and blocking faces ({@code WaitingClt}, {@code WaitingSender},
 * {@code WaitingRecver}, {@code WaitingPool}, {@code PooledService}) and what every service endpoint shares
 * ({@code ServiceEndpoint}). Public only because the face modules live in other packages; not API: applications
 * use the faces ({@code dev.hayate.nonblocking}, {@code dev.hayate.blocking}, {@code dev.hayate.async}), and
 * signatures here may change without notice. Each jar's manifest carries an {@code Automatic-Module-Name}.
 */
package dev.hayate.core.internal;
