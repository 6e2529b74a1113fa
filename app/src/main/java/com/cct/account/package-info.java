/** The account as its owner sees it: who they are and what they use of each limit ({@code GET /api/account}). */
package com.cct.account;
