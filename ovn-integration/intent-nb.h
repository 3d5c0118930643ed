/*
 * Copyright (c) 2026 The OVS-DPU Authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef INTENT_NB_H
#define INTENT_NB_H 1

/* Reconciling OVN's northbound database with the rows a document wants.
 *
 * intent_nb_reconcile() compares the wanted rows with the rows of the
 * database that ovn-dpu-intent owns (external_ids INTENT_PATH_KEY), column
 * by managed column:
 *
 *   - a wanted row that has no owned row is created;
 *   - an owned row whose managed columns differ is updated, and only
 *     those columns are written (each verified first, so that a concurrent
 *     writer makes the transaction fail with TXN_TRY_AGAIN rather than be
 *     overwritten);
 *   - an owned row that no wanted row is, is deleted.
 *
 * Rows not owned are never written or deleted.  A reference from an owned
 * row to a row not owned (a port that "ovn-nbctl lsp-add" put on an owned
 * switch) is kept.
 *
 * With a null 'txn' nothing is written: the caller gets the plan.
 *
 * Returns false, with the causes in 'errors' and nothing done, if the
 * transaction could not succeed: a wanted row would take the name of a row
 * not owned in a table whose names are unique. */

#include <stdbool.h>
#include <stddef.h>

struct ds;
struct intent_rows;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct svec;

struct intent_nb_stats {
    size_t n_create;
    size_t n_update;
    size_t n_delete;
};

void intent_nb_monitor(struct ovsdb_idl *);
bool intent_nb_reconcile(struct ovsdb_idl *, struct intent_rows *,
                         struct ovsdb_idl_txn *, struct svec *changes,
                         struct intent_nb_stats *, struct svec *errors);
void intent_nb_show(struct ovsdb_idl *, struct ds *);

#endif /* intent-nb.h */
