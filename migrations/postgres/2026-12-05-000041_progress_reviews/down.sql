DROP TABLE progress_reviews;
