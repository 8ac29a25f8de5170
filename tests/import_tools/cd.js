CookieConsentDialog.consentLevel='implied';CookieConsentDialog.cookieHeaderTypeNecessary='Necessary ({0})';
CookieConsentDialog.cookieHeaderTypeStatistics='Statistics ({0})';
CookieConsentDialog.cookieTableNecessary = [["CookieConsent","portal.example.org","Stores the user's cookie consent state for the current domain","1 year","HTTP",1,"","https://www.cookiebot.com/en/privacy-policy/"],['csrftoken','portal.example.org','Helps prevent Cross-Site Request Forgery (CSRF) attacks.','1 year','HTTP',1,'','']];
CookieConsentDialog.cookieTablePreference = [];
CookieConsentDialog.cookieTableStatistics = [['_ga','portal.example.org','Registers a unique ID that is used to generate statistical data on how the visitor uses the website.','2 years','HTTP',1,'^_ga$','https://policies.google.com/privacy']];
CookieConsentDialog.cookieTableAdvertising = [];
CookieConsentDialog.cookieTableUnclassified = [["ods_banner","portal.example.org","","Persistent","HTML",2,"",""]];
CookieConsentDialog.cookieTableNecessaryCount = 2;CookieConsentDialog.cookieTableStatisticsCount = 1;
