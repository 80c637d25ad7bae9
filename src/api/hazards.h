/*
 * hazards.h - registering a hazard, shared by POST /api/v1/hazards and the
 * verification of a public tip (tips.c).
 */
#ifndef QL_API_HAZARDS_H
#define QL_API_HAZARDS_H

#include "http.h"

/* Registers a hazard whose fields the caller has checked (see hazards.c). */
int hazard_register(struct req *r, struct hazard *h, const struct enterprise *e, const char *note);

#endif
