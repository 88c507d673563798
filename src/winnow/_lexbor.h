/* The few lexbor structures that winnow._segment reads, laid out as lexbor
 * lays them out: a mirror, not lexbor's own headers (selectolax ships none).
 *
 * Read from the lexbor sources bundled in selectolax 1.0.2 (lexbor 3.1.0;
 * `pip download selectolax==1.0.2 --no-binary :all:`, lexbor/source/lexbor/):
 * dom/interfaces/node.h (struct lxb_dom_node, built without
 * LXB_DOM_NODE_USER_VARIABLES), dom/interfaces/element.h, attr.h,
 * character_data.h, event_target.h, core/str.h, core/hash.h, tag/tag.h and
 * dom/interfaces/attr_const.h. Only the leading members that are read are
 * mirrored; each struct is only ever reached through a pointer lexbor made.
 *
 * lexbor is Copyright (C) 2018-2025 Alexander Borisov, under the Apache
 * License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0);
 * https://github.com/lexbor/lexbor.
 *
 * winnow.stages.lexbor_walk uses these only with a selectolax release whose
 * lexbor they were checked against, and only after a walk of a probe page
 * through them gave what selectolax's own API gives.
 */
#ifndef WINNOW_LEXBOR_H
#define WINNOW_LEXBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* lxb_tag_id_t, lxb_dom_attr_id_t, lxb_ns_id_t: an index into lexbor's static
 * table of known names, or (for a name it met while parsing) the address of
 * that name's data. */
typedef uintptr_t wn_lxb_id_t;

/* lxb_dom_node_type_t (a C enum). */
enum {
    WN_LXB_NODE_ELEMENT = 0x01,
    WN_LXB_NODE_TEXT = 0x03,
};

/* lexbor_str_t */
typedef struct {
    unsigned char *data;
    size_t length;
} wn_lexbor_str_t;

/* lexbor_hash_entry_t: names up to LEXBOR_HASH_SHORT_SIZE bytes are stored
 * in the entry itself (lexbor_hash_entry_str). */
#define WN_LEXBOR_HASH_SHORT_SIZE 16
typedef struct wn_lexbor_hash_entry {
    union {
        unsigned char *long_str;
        unsigned char short_str[WN_LEXBOR_HASH_SHORT_SIZE + 1];
    } u;
    size_t length;
    struct wn_lexbor_hash_entry *next;
} wn_lexbor_hash_entry_t;

/* lxb_tag_data_t and lxb_dom_attr_data_t (the same layout): what a name id
 * that is an address points to (lxb_tag_data_by_id, lxb_dom_attr_data_by_id). */
typedef struct {
    wn_lexbor_hash_entry_t entry;
    wn_lxb_id_t id;
    size_t ref_count;
    bool read_only;
} wn_lxb_name_data_t;

/* struct lxb_dom_node (its first member is lxb_dom_event_target_t, one pointer) */
typedef struct wn_lxb_dom_node {
    void *events;
    wn_lxb_id_t local_name;
    wn_lxb_id_t prefix;
    wn_lxb_id_t ns;
    void *owner_document;
    struct wn_lxb_dom_node *next;
    struct wn_lxb_dom_node *prev;
    struct wn_lxb_dom_node *parent;
    struct wn_lxb_dom_node *first_child;
    struct wn_lxb_dom_node *last_child;
    void *user;
    int type; /* lxb_dom_node_type_t */
} wn_lxb_dom_node_t;

/* struct lxb_dom_attr */
typedef struct wn_lxb_dom_attr {
    wn_lxb_dom_node_t node;
    wn_lxb_id_t upper_name;
    wn_lxb_id_t qualified_name; /* 0: the same as node.local_name */
    wn_lexbor_str_t *value;     /* NULL for a valueless attribute */
    void *owner;
    struct wn_lxb_dom_attr *next;
    struct wn_lxb_dom_attr *prev;
} wn_lxb_dom_attr_t;

/* struct lxb_dom_element, up to the attributes */
typedef struct {
    wn_lxb_dom_node_t node;
    wn_lxb_id_t upper_name;
    wn_lxb_id_t qualified_name; /* 0: the same as node.local_name */
    wn_lexbor_str_t *is_value;
    wn_lxb_dom_attr_t *first_attr;
    wn_lxb_dom_attr_t *last_attr;
} wn_lxb_dom_element_t;

/* struct lxb_dom_character_data (text, comments) */
typedef struct {
    wn_lxb_dom_node_t node;
    wn_lexbor_str_t data;
} wn_lxb_dom_character_data_t;

/* The characters of a name's data (lexbor_hash_entry_str). */
static inline const unsigned char *
wn_lxb_name(const wn_lxb_name_data_t *data, size_t *length)
{
    *length = data->entry.length;
    return data->entry.length <= WN_LEXBOR_HASH_SHORT_SIZE ? data->entry.u.short_str
                                                           : data->entry.u.long_str;
}

#endif /* WINNOW_LEXBOR_H */
