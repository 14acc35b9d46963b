// Where sites take their logins: the web classifier counts POSTs to these that did not succeed.

/**
 * Login forms: brute force is many POSTs to them not answered with the redirect of a success. WordPress's anywhere
 * under the site (`/blog/wp-login.php`; bots also write `//xmlrpc.php`, read with the slashes folded); Jira's and
 * Confluence's forms under their context path (`/jira/login.jsp`, `/dologin.action`).
 */
export const LOGIN_PATHS =
  /^(?:\/[\w.-]{1,64}){0,2}\/(?:wp-login\.php|xmlrpc\.php|login\.jsp|dologin\.action)$|^\/(?:user\/login|users\/sign_in|users\/login|login|signin|sign-in|log-in|logon|admin\/login|administrator(?:\/index\.php)?|auth\/login|account\/login|accounts\/login|session|sessions|j_security_check|j_spring_security_check|index\.php\/login|login\.php|admin\.php|admin\/login\.php|user\.php|login\.aspx)\/?$/;

/**
 * Login APIs, which answer a success with 2xx (a token) and a failure with 4xx: only the failures count. Jira's and
 * Confluence's under their context path too (`/jira/rest/auth/1/session`).
 */
export const LOGIN_API_PATHS =
  /^(?:\/[\w.-]{1,64}){0,2}\/rest\/auth\/1\/session\/?$|^\/(?:sogo\/connect|api\/login|api\/auth\/login|api\/v\d\/(?:auth\/)?login|oauth\/token|oauth2\/token|api\/(?:v\d\/)?(?:users\/)?(?:sign_?in|authenticate))\/?$/;
