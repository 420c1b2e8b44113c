DROP TABLE resident_proxies;
DROP TABLE eligibility_periods;
DROP TABLE residents;
